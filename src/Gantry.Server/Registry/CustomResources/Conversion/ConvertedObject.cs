using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>
/// One object as a conversion webhook converted it, checked and given back its metadata as kube's webhook converter does
/// (<c>validateConvertedObject</c>, <c>restoreObjectMeta</c>): of the wanted version, the same kind, name, namespace and
/// uid; its metadata the original's, but for the labels and annotations the webhook answered, which must be valid.
/// </summary>
public static class ConvertedObject
{
    /// <summary>The object to use in place of <paramref name="original"/>, or what is wrong with the answer and why.</summary>
    public static (JsonObject? Object, ConversionFault Fault, string? Error) Check(JsonObject original, JsonNode? answered, string desiredApiVersion)
    {
        if (answered is not JsonObject converted)
        {
            return (null, ConversionFault.NotAnObject, $"expected an object, got {GoType(answered)}");
        }

        var apiVersion = Text(converted["apiVersion"]) ?? "";
        if (apiVersion != desiredApiVersion)
        {
            return (null, ConversionFault.TypeMeta, $"invalid groupVersion (expected {desiredApiVersion}, received {apiVersion})");
        }

        var (kind, convertedKind) = (Text(original["kind"]) ?? "", Text(converted["kind"]) ?? "");
        if (kind != convertedKind)
        {
            return (null, ConversionFault.TypeMeta, $"invalid kind (expected {kind}, received {convertedKind})");
        }

        foreach (var (field, description) in new[] { ("name", "name"), ("namespace", "namespace"), ("uid", "UID") })
        {
            var (expected, got) = (Text((original["metadata"] as JsonObject)?[field]) ?? "", Text((converted["metadata"] as JsonObject)?[field]) ?? "");
            if (expected != got)
            {
                return (null, ConversionFault.Identity, $"must have the same {description}: {expected} != {got}");
            }
        }

        var copy = converted.DeepClone().AsObject();
        return RestoreMetadata(original, copy) is { } error ? (null, ConversionFault.Metadata, error) : (copy, default, null);
    }

    /// <summary>Puts the original's metadata back into <paramref name="converted"/>, with the labels and annotations it was given.</summary>
    private static string? RestoreMetadata(JsonObject original, JsonObject converted)
    {
        if (!converted.TryGetPropertyValue("metadata", out var answered))
        {
            return "missing metadata in converted object";
        }

        if (answered is not JsonObject answeredMetadata)
        {
            return $"invalid metadata of type {GoType(answered)} in converted object";
        }

        var metadata = (original["metadata"] as JsonObject)?.DeepClone().AsObject() ?? [];
        converted["metadata"] = metadata;
        foreach (var field in new[] { "labels", "annotations" })
        {
            var given = answeredMetadata[field];
            if (given is null)
            {
                metadata.Remove(field);
                continue;
            }

            if (given is not JsonObject map)
            {
                return $"invalid metadata.{field} of type {GoType(given)} in converted object";
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in map)
            {
                if (Text(value) is not { } text)
                {
                    return $"metadata.{field}[{key}] must be a string, but is {GoType(value)} in converted object";
                }

                values[key] = text;
            }

            if (!JsonNode.DeepEquals(given, metadata[field]))
            {
                // kube names the annotations' path metadata.annotation in these errors.
                var errors = field == "labels"
                    ? ObjectMetaValidation.ValidateLabels(values, FieldPath.Of("metadata", "labels"))
                    : ObjectMetaValidation.ValidateAnnotations(values, FieldPath.Of("metadata", "annotation"));
                if (errors.Count > 0)
                {
                    return errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
                }
            }

            metadata[field] = given.DeepClone();
        }

        return null;
    }

    private static string? Text(JsonNode? node) => ConversionReview.Text(node);

    /// <summary>The Go type a JSON value decodes to, as kube's errors name it.</summary>
    private static string GoType(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "<nil>",
        JsonValueKind.String => "string",
        JsonValueKind.Number => node.AsValue().TryGetValue<long>(out _) ? "int64" : "float64",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "[]interface {}",
        _ => "map[string]interface {}",
    };
}
