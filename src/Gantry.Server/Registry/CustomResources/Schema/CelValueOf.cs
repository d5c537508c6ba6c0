using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Cel;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// A custom resource's value as its CEL rules see it, typed by its schema as kube's <c>UnstructuredToVal</c> types it:
/// <c>number</c> a double even when written without a fraction, <c>integer</c> an int, strings of format <c>byte</c>,
/// <c>duration</c> and <c>date-time</c> bytes, durations and timestamps, objects maps of their properties; values
/// the schema does not type (int-or-string, preserved unknown fields) as their JSON says.
/// </summary>
internal static class CelValueOf
{
    public static object? From(JsonNode? node, StructuralSchema? schema)
    {
        if (node is null || schema is null || schema.IntOrString)
        {
            return CelValues.FromJson(node);
        }

        switch (node)
        {
            case JsonObject obj:
                return new CelMap(obj.Select(p => new KeyValuePair<object, object?>(p.Key, From(p.Value, PropertySchema(schema, p.Key)))));
            case JsonArray array:
                return new CelList(array.Select(item => From(item, schema.Items)));
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

    // CEL's own duration(): Go's duration syntax, as kube parses a duration-formatted string.
    private static readonly Lazy<CelProgram> ParseDuration = new(() => CelProgram.Compile("duration(text)", ["text"]));

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
            case "duration":
                try
                {
                    return ParseDuration.Value.Evaluate(new Dictionary<string, object?> { ["text"] = text }) ?? text;
                }
                catch (CelException)
                {
                    return text;
                }

            default:
                return text;
        }
    }
}
