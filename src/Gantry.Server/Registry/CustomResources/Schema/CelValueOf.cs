using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Cel;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// A custom resource's value as its CEL rules see it, typed by its schema as kube's <c>UnstructuredToVal</c> types it:
/// <c>number</c> a double even when written without a fraction, <c>integer</c> an int, strings of format <c>byte</c>,
/// <c>duration</c>, <c>date</c> and <c>date-time</c> bytes, durations and timestamps, objects maps of their properties
/// (a property set to null absent, as kube has it), lists of type <c>set</c> and <c>map</c> equal in any order; values the
/// schema does not type (int-or-string, preserved unknown fields) as their JSON says.
/// </summary>
internal static partial class CelValueOf
{
    /// <exception cref="CelEvaluationException">A number no CEL value can hold.</exception>
    public static object? From(JsonNode? node, StructuralSchema? schema)
    {
        if (node is null || schema is null || schema.IntOrString)
        {
            return CelValues.FromJson(node);
        }

        switch (node)
        {
            case JsonObject obj:
                var members = schema.Properties.Count > 0 ? obj.Where(p => p.Value is not null) : obj;
                return new CelMap(members.Select(p => new KeyValuePair<object, object?>(p.Key, From(p.Value, PropertySchema(schema, p.Key)))));
            case JsonArray array:
                return new CelList(array.Select(item => From(item, schema.Items)), unordered: schema.ListType is "set" or "map");
        }

        var value = node.AsValue();
        return schema.Type switch
        {
            "number" when value.TryGetValue<double>(out var number) => number,
            "integer" when value.TryGetValue<long>(out var integer) => integer,
            "string" when value.TryGetValue<string>(out var text) => Formatted(text, schema.Format),
            _ => CelValues.FromJson(node),
        };
    }

    /// <summary>The schema of an object's member: its property's, else its additional properties'; null where none types it.</summary>
    public static StructuralSchema? PropertySchema(StructuralSchema schema, string name) =>
        schema.Properties.TryGetValue(name, out var property) ? property : schema.AdditionalProperties?.Schema;

    private static object Formatted(string text, string format)
    {
        switch (format)
        {
            case "byte":
                try
                {
                    return Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    return text;
                }

            case "date-time" when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time):
                return time.ToUniversalTime();
            case "date" when DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day):
                return new DateTimeOffset(day, TimeSpan.Zero);
            case "duration":
                return Duration(text) is { } duration ? duration : text;
            default:
                return text;
        }
    }

    /// <summary>kube's <c>strfmt.ParseDuration</c>: Go's syntax, or counts of units it names (<c>7d</c>, <c>2w</c>, <c>3 days</c>).</summary>
    private static TimeSpan? Duration(string text)
    {
        if (CelValues.ParseDuration(text) is { } go)
        {
            return go;
        }

        var total = TimeSpan.Zero;
        var matches = LooseDuration().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        foreach (Match match in matches)
        {
            if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || Unit(match.Groups[2].Value) is not { } unit)
            {
                return null;
            }

            total += unit * count;
        }

        return total;
    }

    private static TimeSpan? Unit(string name) => name.ToLowerInvariant() switch
    {
        "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => TimeSpan.FromTicks(0),
        "us" or "µs" or "micro" or "micros" or "microsecond" or "microseconds" => TimeSpan.FromMicroseconds(1),
        "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(1),
        "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(1),
        "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
        "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(1),
        "d" or "day" or "days" => TimeSpan.FromDays(1),
        "w" or "wk" or "wks" or "week" or "weeks" => TimeSpan.FromDays(7),
        _ => null,
    };

    [GeneratedRegex(@"([0-9]+)[\t\n\v\f\r ]*([A-Za-zµ]+)")]
    private static partial Regex LooseDuration();
}
