using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// The TypeMeta and ObjectMeta of <c>x-kubernetes-embedded-resource</c> objects (<c>pkg/apiserver/schema/objectmeta/validation.go</c>):
/// apiVersion and kind required and well formed; the metadata's name, generateName, namespace, labels and annotations
/// checked as ObjectMeta's are on create, names as path segments.
/// </summary>
internal static class EmbeddedResourceValidation
{
    private static readonly string[] PathSegmentMayNotContain = ["/", "%"];

    public static void Validate(FieldPath path, JsonNode? x, StructuralSchema? s, List<FieldError> errors)
    {
        if (s is null)
        {
            return;
        }

        switch (x)
        {
            case JsonObject map:
                if (s.EmbeddedResource)
                {
                    ValidateEmbedded(path, map, errors);
                }

                foreach (var (key, value) in map)
                {
                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        Validate(path.Child(key), value, property, errors);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        Validate(path.Key(key), value, additional.Schema, errors);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(path.Index(i), array[i], s.Items, errors);
                }

                break;
        }
    }

    private static void ValidateEmbedded(FieldPath path, JsonObject x, List<FieldError> errors)
    {
        if (!x.ContainsKey("apiVersion"))
        {
            errors.Add(FieldErrors.Required(path.Child("apiVersion")));
        }

        if (!x.ContainsKey("kind"))
        {
            errors.Add(FieldErrors.Required(path.Child("kind")));
        }

        foreach (var (key, value) in x)
        {
            switch (key)
            {
                case "apiVersion":
                    if (JsonValues.KindOf(value) != JsonKind.String)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), JsonValues.ToBadValue(value), "must be a string"));
                    }
                    else if (JsonValues.GetString(value!) is var apiVersion && apiVersion.Length == 0)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), apiVersion, "must not be empty"));
                    }
                    else if (apiVersion != "/" && apiVersion.Count(c => c == '/') > 1)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), apiVersion, $"unexpected GroupVersion string: {apiVersion}"));
                    }

                    break;
                case "kind":
                    if (JsonValues.KindOf(value) != JsonKind.String)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), JsonValues.ToBadValue(value), "must be a string"));
                    }
                    else if (JsonValues.GetString(value!) is var kind && kind.Length == 0)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), kind, "must not be empty"));
                    }
                    else if (FormatValidation.IsDns1035Label(kind.ToLowerInvariant()) is { Count: > 0 } problems)
                    {
                        errors.Add(FieldErrors.Invalid(path.Child(key), kind, "may have mixed case, but should otherwise match: " + string.Join(",", problems)));
                    }

                    break;
                case "metadata" when value is JsonObject metadata:
                    ValidateMetadata(path.Child("metadata"), metadata, errors);
                    break;
            }
        }
    }

    /// <summary>ValidateObjectMeta on create, with path-segment names ("fakename" standing in for a missing name).</summary>
    private static void ValidateMetadata(FieldPath path, JsonObject metadata, List<FieldError> errors)
    {
        var generateName = StringOf(metadata, "generateName");
        if (generateName.Length > 0)
        {
            foreach (var c in PathSegmentMayNotContain.Where(c => generateName.Contains(c, StringComparison.Ordinal)))
            {
                errors.Add(FieldErrors.Invalid(path.Child("generateName"), generateName, $"may not contain '{c}'"));
            }
        }

        var name = StringOf(metadata, "name");
        if (name.Length > 0)
        {
            errors.AddRange(FormatValidation.IsValidPathSegmentName(name).Select(m => FieldErrors.Invalid(path.Child("name"), name, m)));
        }

        var ns = StringOf(metadata, "namespace");
        if (ns.Length > 0)
        {
            errors.AddRange(FormatValidation.IsDns1123Label(ns).Select(m => FieldErrors.Invalid(path.Child("namespace"), ns, m)));
        }

        if (metadata["labels"] is JsonObject labels)
        {
            errors.AddRange(ObjectMetaValidation.ValidateLabels(StringMap(labels), path.Child("labels")));
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            errors.AddRange(ObjectMetaValidation.ValidateAnnotations(StringMap(annotations), path.Child("annotations")));
        }
    }

    private static string StringOf(JsonObject obj, string key) =>
        obj[key] is { } value && JsonValues.KindOf(value) == JsonKind.String ? JsonValues.GetString(value) : "";

    private static IEnumerable<KeyValuePair<string, string>> StringMap(JsonObject map) =>
        map.Select(p => new KeyValuePair<string, string>(p.Key, JsonValues.KindOf(p.Value) == JsonKind.String ? JsonValues.GetString(p.Value!) : ""));
}
