using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// JSON values seen as Go sees an unstructured object: int64 or float64 numbers, <c>reflect.DeepEqual</c>, and
/// <c>encoding/json</c>'s output (sorted keys, Go's float and string escaping) for values printed in messages.
/// </summary>
internal static class JsonValues
{
    public static JsonKind KindOf(JsonNode? node) => node switch
    {
        null => JsonKind.Null,
        JsonObject => JsonKind.Object,
        JsonArray => JsonKind.Array,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => JsonKind.String,
            JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
            JsonValueKind.Number => TryGetInteger(node, out _) ? JsonKind.Integer : JsonKind.Float,
            _ => JsonKind.Null,
        },
    };

    /// <summary>The number as Go's decoder makes it an int64: only from an integer literal within range.</summary>
    public static bool TryGetInteger(JsonNode node, out long value)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<JsonElement>(out var element))
            {
                return element.TryGetInt64(out value);
            }

            if (v.TryGetValue(out value))
            {
                return true;
            }

            if (v.TryGetValue<int>(out var i))
            {
                value = i;
                return true;
            }
        }

        return long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static double GetDouble(JsonNode node)
    {
        if (TryGetInteger(node, out var l))
        {
            return l;
        }

        if (node is JsonValue v && v.TryGetValue<JsonElement>(out var element) && element.TryGetDouble(out var e))
        {
            return e;
        }

        return double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static string GetString(JsonNode node) => node.GetValue<string>();

    public static bool GetBoolean(JsonNode node) => node.GetValueKind() == JsonValueKind.True;

    /// <summary>Go's <c>reflect.DeepEqual</c> on decoded JSON: an int64 never equals a float64.</summary>
    public static bool DeepEqual(JsonNode? a, JsonNode? b)
    {
        var kind = KindOf(a);
        if (kind != KindOf(b))
        {
            return false;
        }

        switch (kind)
        {
            case JsonKind.Null:
                return true;
            case JsonKind.Boolean:
                return GetBoolean(a!) == GetBoolean(b!);
            case JsonKind.String:
                return string.Equals(GetString(a!), GetString(b!), StringComparison.Ordinal);
            case JsonKind.Integer:
                TryGetInteger(a!, out var la);
                TryGetInteger(b!, out var lb);
                return la == lb;
            case JsonKind.Float:
                return GetDouble(a!).Equals(GetDouble(b!));
            case JsonKind.Array:
                var xa = (JsonArray)a!;
                var xb = (JsonArray)b!;
                if (xa.Count != xb.Count)
                {
                    return false;
                }

                for (var i = 0; i < xa.Count; i++)
                {
                    if (!DeepEqual(xa[i], xb[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                var oa = (JsonObject)a!;
                var ob = (JsonObject)b!;
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEqual(value, other))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    /// <summary>
    /// The value as a field error prints it (apimachinery's <c>ErrorBody</c>): strings quoted, numbers and booleans with
    /// <c>%v</c>, anything else as Go's <c>json.Marshal</c> writes it.
    /// </summary>
    public static object? ToBadValue(JsonNode? node) => KindOf(node) switch
    {
        JsonKind.String => GetString(node!),
        JsonKind.Boolean => GetBoolean(node!),
        JsonKind.Integer => TryGetInteger(node!, out var l) ? l : 0L,
        JsonKind.Float => new Gantry.Core.Validation.GoValue(GoFloat.FormatV(GetDouble(node!))),
        _ => new Gantry.Core.Validation.GoValue(Marshal(node)),
    };

    /// <summary>Go's <c>json.Marshal</c> of the decoded value: object keys sorted, Go's number and string forms.</summary>
    public static string Marshal(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (KindOf(node))
        {
            case JsonKind.Null:
                builder.Append("null");
                break;
            case JsonKind.Boolean:
                builder.Append(GetBoolean(node!) ? "true" : "false");
                break;
            case JsonKind.String:
                WriteString(builder, GetString(node!));
                break;
            case JsonKind.Integer:
                TryGetInteger(node!, out var l);
                builder.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonKind.Float:
                builder.Append(GoFloat.FormatJson(GetDouble(node!)));
                break;
            case JsonKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in (JsonArray)node!)
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            default:
                builder.Append('{');
                var firstMember = true;
                foreach (var (key, value) in ((JsonObject)node!).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(firstMember ? "" : ",");
                    firstMember = false;
                    WriteString(builder, key);
                    builder.Append(':');
                    Write(builder, value);
                }

                builder.Append('}');
                break;
        }
    }

    /// <summary>A string as <c>encoding/json</c> escapes it, HTML characters and line separators included.</summary>
    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
