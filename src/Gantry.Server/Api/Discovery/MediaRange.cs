namespace Gantry.Server.Api.Discovery;

/// <summary>
/// One entry of an HTTP <c>Accept</c> header, such as
/// <c>application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList</c>.
/// Parameter names are lower-cased; their values keep their case.
/// </summary>
public sealed record MediaRange(string Type, string Subtype, IReadOnlyDictionary<string, string> Parameters, double Quality)
{
    /// <summary>
    /// The ranges of an Accept header, most preferred first: by descending <c>q</c>, and in header order
    /// among equals, which is how kubectl states its preference. A missing header yields no ranges.
    /// </summary>
    public static IReadOnlyList<MediaRange> ParseAccept(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return [];
        }

        var ranges = new List<MediaRange>();
        foreach (var entry in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var slash = parts[0].IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == parts[0].Length - 1)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var quality = 1.0;
            foreach (var parameter in parts.Skip(1))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var name = parameter[..equals].Trim().ToLowerInvariant();
                var value = parameter[(equals + 1)..].Trim().Trim('"');
                if (name == "q")
                {
                    quality = double.TryParse(value, System.Globalization.NumberStyles.Float,
                        System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : 0;
                }
                else
                {
                    parameters[name] = value;
                }
            }

            ranges.Add(new MediaRange(
                parts[0][..slash].ToLowerInvariant(), parts[0][(slash + 1)..].ToLowerInvariant(), parameters, quality));
        }

        return ranges.Where(r => r.Quality > 0).OrderByDescending(r => r.Quality).ToList();
    }

    /// <summary>True for <c>application/json</c>, <c>application/*</c> and <c>*/*</c>.</summary>
    public bool AcceptsJson =>
        (Type == "application" && Subtype is "json" or "*") || (Type == "*" && Subtype == "*");

    /// <summary>The value of a parameter, or null when absent.</summary>
    public string? Parameter(string name) => Parameters.GetValueOrDefault(name);
}
