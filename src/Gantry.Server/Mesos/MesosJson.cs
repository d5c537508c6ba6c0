using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Mesos;

/// <summary>How Mesos' master reads the JSON form of its protobuf messages, where that differs from plain JSON.</summary>
public static class MesosJson
{
    /// <summary>
    /// A numeric field: a JSON number or a string that holds one, as stout's JSON-to-protobuf conversion takes it;
    /// protobuf's own JSON mapping writes 64-bit integers (a kill policy's <c>nanoseconds</c>) as strings. Null when absent.
    /// Not-a-number and infinities are refused: no field of a call means them, and they would overflow what they set.
    /// </summary>
    /// <exception cref="FormatException">The field holds something else.</exception>
    public static double? Number(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String
            && double.TryParse(value.GetValue<string>(), JsonNumber, CultureInfo.InvariantCulture, out var parsed)
            && double.IsFinite(parsed) => parsed,
        _ => throw new FormatException($"'{node.ToJsonString()}' is not a number"),
    };

    /// <summary>
    /// A double field where Mesos lets any value through to the code that reads it: also <c>"NaN"</c>,
    /// <c>"Infinity"</c> and <c>"-Infinity"</c>, as protobuf's JSON mapping writes them. Null when absent.
    /// </summary>
    /// <exception cref="FormatException">The field holds something else.</exception>
    public static double? Double(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "NaN" => double.NaN,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "Infinity" => double.PositiveInfinity,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "-Infinity" => double.NegativeInfinity,
        _ => Number(node),
    };

    private const NumberStyles JsonNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
}
