using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Cel;

/// <summary>Conversions between JSON and CEL values, and the text of a value for messages.</summary>
public static class CelValues
{
    /// <summary>
    /// JSON to CEL values: null→null, true/false→bool, integral numbers→long, other numbers→double, string→string,
    /// array→<see cref="CelList"/>, object→<see cref="CelMap"/> (string keys).
    /// </summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => new CelList(array.Select(FromJson)),
        JsonObject obj => new CelMap(obj.Select(p => new KeyValuePair<object, object?>(p.Key, FromJson(p.Value)))),
        JsonValue value => FromJsonValue(value),
        _ => throw new ArgumentException($"unexpected JSON node {node.GetType().Name}", nameof(node)),
    };

    private static object? FromJsonValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    return l;
                }
                if (value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out l))
                {
                    return l;
                }
                if (value.TryGetValue<int>(out var i))
                {
                    return (long)i;
                }
                if (value.TryGetValue<JsonElement>(out element))
                {
                    // A number too large for a double (1e400) is no CEL value: the rule sees an error, not the server.
                    return element.TryGetDouble(out var parsed) ? parsed : throw new CelEvaluationException("number out of range: " + element.GetRawText());
                }

                return value.TryGetValue<double>(out var d) ? d
                    : value.TryGetValue<decimal>(out var m) ? (double)m
                    : value.TryGetValue<float>(out var f) ? f
                    : value.TryGetValue<ulong>(out var u) ? u
                    : throw new CelEvaluationException("unsupported number: " + value.ToJsonString());
            default:
                throw new ArgumentException($"unexpected JSON value kind {value.GetValueKind()}", nameof(value));
        }
    }

    /// <summary>A duration in Go's syntax, as CEL's <c>duration()</c> reads it; null when it is none.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        try
        {
            return GoDuration.Parse(text);
        }
        catch (CelException)
        {
            return null;
        }
    }

    /// <summary>The string CEL's <c>string()</c> gives, for messages; lists and maps are written as CEL literals.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => GoFloat.Format(d),
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        TimeSpan t => GoDuration.FormatSeconds(t),
        DateTimeOffset t => Rfc3339.Format(t),
        CelList list => "[" + string.Join(", ", list.Select(Literal)) + "]",
        CelMap map => "{" + string.Join(", ", map.Select(p => Literal(p.Key) + ": " + Literal(p.Value))) + "}",
        CelType t => t.Name,
        CelUrl u => u.ToString(),
        _ => value.ToString() ?? "",
    };

    private static string Literal(object? value) => value switch
    {
        string s => StringFunctions.Quote(s),
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "u",
        _ => Format(value),
    };

    /// <summary>
    /// Values handed in by a caller may use other CLR types for the same CEL kinds (an int, a float, a DateTime); the
    /// evaluator only deals in the canonical ones.
    /// </summary>
    internal static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        sbyte s => (long)s,
        uint u => (ulong)u,
        ushort u => (ulong)u,
        byte b => (ulong)b,
        float f => (double)f,
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d).ToUniversalTime(),
        DateTimeOffset d => d.ToUniversalTime(),
        JsonNode node => FromJson(node),
        _ => value,
    };
}
