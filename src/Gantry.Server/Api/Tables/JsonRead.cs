using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// Lenient reads from stored objects: a missing field, a null or a value of another type reads as the Go zero
/// value, which is what the Kubernetes printers see for an unset field.
/// </summary>
internal static class JsonRead
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject obj ? obj[name] : null;
        }

        return node;
    }

    public static string String(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    public static long Long(JsonNode? node, params string[] path) => OptionalLong(node, path) ?? 0;

    public static long? OptionalLong(JsonNode? node, params string[] path)
    {
        if (At(node, path) is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        return long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l) ? l : null;
    }

    public static bool Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static bool? OptionalBool(JsonNode? node, params string[] path) => At(node, path) is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        }
        : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IEnumerable<string> Strings(JsonNode? node, params string[] path) => At(node, path) is JsonArray array
        ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
        : [];

    public static int Count(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        _ => 0,
    };

    /// <summary>A timestamp (RFC 3339, as Time and MicroTime are written), or null when unset or unreadable.</summary>
    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        DateTimeOffset.TryParse(String(node, path), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>String-to-string maps such as labels and selectors, sorted by key.</summary>
    public static IEnumerable<KeyValuePair<string, string>> StringMap(JsonNode? node, params string[] path) =>
        At(node, path) is JsonObject obj
            ? obj.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : ""))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
            : [];
}
