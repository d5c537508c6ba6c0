using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gantry.Server.Mesos;

/// <summary>
/// The two forms Mesos' master speaks on its v1 APIs, and how it picks one: a call in the form its <c>Content-Type</c>
/// names; an answer (a SUBSCRIBE stream, an operator's GET) in JSON when the <c>Accept</c> header allows it, else in
/// protobuf when that is allowed (libprocess' <c>acceptsMediaType</c>: no header allows both).
/// </summary>
public static class MesosMediaType
{
    public const string Json = "application/json";

    public const string Protobuf = "application/x-protobuf";

    /// <summary>The form a request's <c>Content-Type</c> names, or null for anything else.</summary>
    public static string? OfContent(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        Json => Json,
        Protobuf => Protobuf,
        _ => null,
    };

    /// <summary>The form to answer in, or null when the request accepts neither.</summary>
    public static string? ForAnswer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return null;
        }

        return Accepts(ranges, Json) ? Json : Accepts(ranges, Protobuf) ? Protobuf : null;
    }

    /// <summary>Whether the most specific range that covers <paramref name="mediaType"/> has a quality above zero.</summary>
    private static bool Accepts(IList<MediaTypeHeaderValue> ranges, string mediaType)
    {
        var type = mediaType[..mediaType.IndexOf('/', StringComparison.Ordinal)];
        MediaTypeHeaderValue? best = null;
        var bestSpecificity = -1;
        foreach (var range in ranges)
        {
            var name = range.MediaType.Value ?? "";
            var specificity = string.Equals(name, mediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : string.Equals(name, type + "/*", StringComparison.OrdinalIgnoreCase) ? 1
                : name == "*/*" ? 0
                : -1;
            if (specificity > bestSpecificity)
            {
                best = range;
                bestSpecificity = specificity;
            }
        }

        return best is not null && (best.Quality ?? 1) > 0;
    }
}
