using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// The parts of a URL that Go's <c>net/url.Parse</c> yields and kube's <c>ValidateWebhookURL</c> looks at, split as Go
/// splits them (so that <c>https:host</c> has no host, and the last <c>@</c> ends the user information), or the error
/// Go's parser reports, worded as Go words it (<c>parse "https://a:b": invalid port ":b" after host</c>).
/// </summary>
/// <param name="User">The user information as Go's <c>Userinfo.String()</c> prints it; null when the URL has none.</param>
internal sealed record GoUrl(string Scheme, string Host, string? User, string RawQuery, string Fragment)
{
    private const string HostSafe = "!$&'()*+,;=:[]<>\"-_.~";
    private const string UserinfoSafe = "-._:~!$&'()*+,;=%@";

    public static bool TryParse(string raw, [NotNullWhen(true)] out GoUrl? url, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(raw);
        url = null;
        var hash = raw.IndexOf('#', StringComparison.Ordinal);
        var beforeFragment = hash < 0 ? raw : raw[..hash];
        if (!TryParseWithoutFragment(beforeFragment, out var parsed, out var problem))
        {
            error = $"parse {GoValue.Quote(beforeFragment)}: {problem}";
            return false;
        }

        var fragment = "";
        if (hash >= 0 && !TryUnescape(raw[(hash + 1)..], host: false, out fragment, out problem))
        {
            error = $"parse {GoValue.Quote(raw)}: {problem}";
            return false;
        }

        url = parsed with { Fragment = fragment };
        error = null;
        return true;
    }

    /// <summary>Go's <c>parse(rawURL, viaRequest: false)</c>.</summary>
    private static bool TryParseWithoutFragment(string raw, [NotNullWhen(true)] out GoUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (raw.Any(c => c < 0x20 || c == 0x7f))
        {
            error = "net/url: invalid control character in URL";
            return false;
        }

        if (raw == "*")
        {
            url = new("", "", null, "", "");
            error = null;
            return true;
        }

        if (!TrySplitScheme(raw, out var scheme, out var rest))
        {
            error = "missing protocol scheme";
            return false;
        }

        var rawQuery = "";
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
        {
            rest = rest[..^1];
        }
        else if (rest.IndexOf('?', StringComparison.Ordinal) is var question and >= 0)
        {
            rawQuery = rest[(question + 1)..];
            rest = rest[..question];
        }

        if (!rest.StartsWith('/'))
        {
            if (scheme.Length > 0)
            {
                // An opaque URL (https:host): no authority, so no host.
                url = new(scheme, "", null, rawQuery, "");
                error = null;
                return true;
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if ((slash < 0 ? rest : rest[..slash]).Contains(':', StringComparison.Ordinal))
            {
                error = "first path segment in URL cannot contain colon";
                return false;
            }
        }

        var host = "";
        string? user = null;
        if ((scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            var slash = authority.IndexOf('/', StringComparison.Ordinal);
            rest = slash < 0 ? "" : authority[slash..];
            authority = slash < 0 ? authority : authority[..slash];
            if (!TryParseAuthority(authority, out user, out host, out error))
            {
                return false;
            }
        }

        if (!TryUnescape(rest, host: false, out _, out error))
        {
            return false;
        }

        url = new(scheme, host, user, rawQuery, "");
        return true;
    }

    /// <summary>Go's <c>getScheme</c>: letters, then letters, digits, <c>+-.</c>, up to a colon; a leading colon is an error.</summary>
    private static bool TrySplitScheme(string raw, out string scheme, out string rest)
    {
        scheme = "";
        rest = raw;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return true;
                }

                continue;
            }

            if (c == ':')
            {
                if (i == 0)
                {
                    return false;
                }

                scheme = raw[..i].ToLowerInvariant();
                rest = raw[(i + 1)..];
            }

            return true;
        }

        return true;
    }

    private static bool TryParseAuthority(string authority, out string? user, out string host, [NotNullWhen(false)] out string? error)
    {
        user = null;
        var at = authority.LastIndexOf('@');
        if (!TryParseHost(at < 0 ? authority : authority[(at + 1)..], out host, out error))
        {
            return false;
        }

        if (at < 0)
        {
            return true;
        }

        var userinfo = authority[..at];
        if (!userinfo.All(c => char.IsAsciiLetterOrDigit(c) || UserinfoSafe.Contains(c, StringComparison.Ordinal)))
        {
            error = "net/url: invalid userinfo";
            return false;
        }

        var colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        var parts = colon < 0 ? [userinfo] : new[] { userinfo[..colon], userinfo[(colon + 1)..] };
        var shown = new List<string>();
        foreach (var part in parts)
        {
            if (!TryUnescape(part, host: false, out var plain, out error))
            {
                return false;
            }

            shown.Add(EscapeUserinfo(plain));
        }

        user = string.Join(":", shown);
        return true;
    }

    /// <summary>Go's <c>parseHost</c>, without IPv6 zones: a port after the host must be digits.</summary>
    private static bool TryParseHost(string host, out string plain, [NotNullWhen(false)] out string? error)
    {
        plain = "";
        var portStart = -1;
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0)
            {
                error = "missing ']' in host";
                return false;
            }

            portStart = close + 1;
        }
        else if (host.LastIndexOf(':') is var colon and >= 0)
        {
            portStart = colon;
        }

        if (portStart >= 0 && host[portStart..] is { Length: > 0 } colonPort && (colonPort[0] != ':' || !colonPort[1..].All(char.IsAsciiDigit)))
        {
            error = $"invalid port {GoValue.Quote(colonPort)} after host";
            return false;
        }

        return TryUnescape(host, host: true, out plain, out error);
    }

    /// <summary>Go's <c>unescape</c>: <c>%XX</c> escapes decoded; in a host, only non-ASCII bytes (and <c>%25</c>) may be escaped.</summary>
    private static bool TryUnescape(string text, bool host, out string plain, [NotNullWhen(false)] out string? error)
    {
        plain = "";
        var source = Encoding.UTF8.GetBytes(text);
        var bytes = new List<byte>(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            if (b == '%')
            {
                if (i + 2 >= source.Length || !char.IsAsciiHexDigit((char)source[i + 1]) || !char.IsAsciiHexDigit((char)source[i + 2]))
                {
                    error = "invalid URL escape " + GoValue.Quote(Encoding.UTF8.GetString(source, i, Math.Min(3, source.Length - i)));
                    return false;
                }

                var escape = Encoding.ASCII.GetString(source, i, 3);
                var value = byte.Parse(escape.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (host && value < 0x80 && escape != "%25")
                {
                    error = "invalid URL escape " + GoValue.Quote(escape);
                    return false;
                }

                bytes.Add(value);
                i += 2;
                continue;
            }

            if (host && b < 0x80 && !char.IsAsciiLetterOrDigit((char)b) && !HostSafe.Contains((char)b, StringComparison.Ordinal))
            {
                error = $"invalid character {GoValue.Quote(((char)b).ToString())} in host name";
                return false;
            }

            bytes.Add(b);
        }

        plain = Encoding.UTF8.GetString([.. bytes]);
        error = null;
        return true;
    }

    /// <summary>Go's <c>escape(s, encodeUserPassword)</c>: everything but unreserved characters and <c>$&amp;+,;=</c> escaped.</summary>
    private static string EscapeUserinfo(string plain)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(plain))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-_.~$&+,;=".Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
