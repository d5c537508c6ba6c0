namespace Gantry.Core.Cel;

/// <summary>Kubernetes' URL library: <c>url</c>, <c>isURL</c> and the accessors on a URL value.</summary>
internal static class UrlFunctions
{
    public static void Register(FunctionRegistry r)
    {
        r.Global("url", 1, a => a[0] switch
        {
            string s => CelUrl.TryParse(s, out var error) ?? throw new CelEvaluationException($"URL parse error during conversion from string: {error}"),
            CelUrl u => u,
            _ => throw CelErrors.NoSuchOverload("url", a),
        });
        r.Global("isURL", 1, a => a is [string s] ? CelUrl.TryParse(s, out _) is not null : throw CelErrors.NoSuchOverload("isURL", a));
        Accessor(r, "getScheme", u => u.Scheme);
        Accessor(r, "getHost", u => u.Host);
        Accessor(r, "getHostname", u => u.Hostname);
        Accessor(r, "getPort", u => u.Port);
        Accessor(r, "getEscapedPath", u => u.EscapedPath);
        Accessor(r, "getQuery", u => Query(u.RawQuery));
    }

    private static void Accessor(FunctionRegistry r, string name, Func<CelUrl, object> get) =>
        r.Member(name, 0, a => a is [CelUrl u] ? get(u) : throw CelErrors.NoSuchOverload(name, a));

    // Go's url.Query(): pairs split on '&', keys and values unescaped ('+' is a space); pairs that fail are dropped.
    private static CelMap Query(string rawQuery)
    {
        var values = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0 || pair.Contains(';', StringComparison.Ordinal))
            {
                continue;
            }
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            if (key is null || value is null)
            {
                continue;
            }
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
                order.Add(key);
            }
            list.Add(value);
        }
        return new CelMap(order.Select(k => new KeyValuePair<object, object?>(k, new CelList(values[k]))));
    }

    private static string? Unescape(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
