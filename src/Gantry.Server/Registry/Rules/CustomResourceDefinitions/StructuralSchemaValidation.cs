using System.Text.RegularExpressions;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>
/// kube's structural-schema rules (<c>pkg/apiserver/schema</c>: <c>NewStructural</c>, <c>ValidateStructural</c> and its
/// completeness check) over a <see cref="JsonSchema"/>. The schema proper (types, properties, items,
/// additionalProperties) is the structural part; <c>allOf</c>, <c>anyOf</c>, <c>oneOf</c> and <c>not</c> are value
/// validations, which may not declare types, defaults or extensions, nor reach fields the structural part lacks.
/// </summary>
internal static class StructuralSchemaValidation
{
    private enum Level
    {
        Root,
        Item,
        Field,
    }

    /// <summary>Why kube's <c>NewStructural</c> cannot even build the structural form of <paramref name="schema"/>, or null.</summary>
    public static string? ConversionError(JsonSchema schema) => ConversionError(schema, nested: false);

    /// <summary>kube's <c>ValidateStructural</c>: every error, sorted as kube sorts them (by their text).</summary>
    public static IReadOnlyList<FieldError> Validate(FieldPath path, JsonSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        Invariants(schema, Level.Root, path, errors);
        ValueValidationCompleteness(schema, schema, path, path, errors);
        errors.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return errors;
    }

    /// <summary>Whether <paramref name="schema"/> is not structural, as kube's <c>schemaIsNonStructural</c> decides.</summary>
    public static bool IsNonStructural(JsonSchema schema) =>
        ConversionError(schema) is not null || Validate(FieldPath.Root, schema).Count > 0;

    private static string? ConversionError(JsonSchema s, bool nested)
    {
        var unsupported = UnsupportedField(s);
        if (unsupported is not null)
        {
            return unsupported;
        }

        foreach (var junctor in Junctors(s))
        {
            if (ConversionError(junctor, nested: true) is { } error)
            {
                return error;
            }
        }

        if (s.XPreserveUnknownFields == false)
        {
            return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
        }

        if (s.Items is { } items)
        {
            if (items.Schemas is { Count: > 0 })
            {
                return "OpenAPIV3Schema 'items' must be a schema, but is an array";
            }

            if (items.Schema is { } item && ConversionError(item, nested) is { } error)
            {
                return error;
            }
        }

        foreach (var (_, property) in s.Properties ?? [])
        {
            if (ConversionError(property, nested) is { } error)
            {
                return error;
            }
        }

        return s.AdditionalProperties?.Schema is { } additional ? ConversionError(additional, nested) : null;
    }

    private static IEnumerable<JsonSchema> Junctors(JsonSchema s)
    {
        if (s.Not is { } not)
        {
            yield return not;
        }

        foreach (var list in new[] { s.AllOf, s.AnyOf, s.OneOf })
        {
            foreach (var junctor in list ?? [])
            {
                yield return junctor;
            }
        }
    }

    private static string? UnsupportedField(JsonSchema s) =>
        s.Id.Length > 0 ? "OpenAPIV3Schema 'id' is not supported"
        : s.SchemaUri.Length > 0 ? "OpenAPIV3Schema 'schema' is not supported"
        : !string.IsNullOrEmpty(s.Ref) ? "OpenAPIV3Schema '$ref' is not supported"
        : s.PatternProperties is { Count: > 0 } ? "OpenAPIV3Schema 'patternProperties' is not supported"
        : s.Dependencies is { Count: > 0 } ? "OpenAPIV3Schema 'dependencies' is not supported"
        : s.AdditionalItems is not null ? "OpenAPIV3Schema 'additionalItems' is not supported"
        : s.Definitions is { Count: > 0 } ? "OpenAPIV3Schema 'definitions' is not supported"
        : null;

    /// <summary>kube's <c>validateStructuralInvariants</c>.</summary>
    private static void Invariants(JsonSchema? s, Level level, FieldPath path, List<FieldError> errors)
    {
        if (s is null)
        {
            return;
        }

        var item = s.Items?.Schema;
        if (s.Type == "array" && item is null)
        {
            errors.Add(FieldErrors.Required(path.Child("items"), "must be specified"));
        }

        Invariants(item, Level.Item, path.Child("items"), errors);
        foreach (var (name, property) in s.Properties ?? [])
        {
            Invariants(property, Level.Field, path.Child("properties").Key(name), errors);
        }

        if (s.AdditionalProperties is { } additional)
        {
            if (level == Level.Root)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("additionalProperties"), "must not be used at the root"));
            }

            Invariants(additional.Schema, Level.Field, path.Child("additionalProperties"), errors);
        }

        if (s.XIntOrString && s.PreservesUnknownFields)
        {
            errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-preserve-unknown-fields"), true, "must be false if x-kubernetes-int-or-string is true"));
        }

        if (s.XIntOrString && s.XEmbeddedResource)
        {
            errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-embedded-resource"), true, "must be false if x-kubernetes-int-or-string is true"));
        }

        ValueValidation(s, IsIntOrStringAnyOf(s.AnyOf), s.AllOf is { Count: > 0 } allOf && IsIntOrStringAnyOf(allOf[0].AnyOf), level, path, errors);

        var checkMetadata = level == Level.Root || s.XEmbeddedResource;
        if (s.XEmbeddedResource && s.Type != "object")
        {
            errors.Add(s.Type.Length == 0
                ? FieldErrors.Required(path.Child("type"), "must be object if x-kubernetes-embedded-resource is true")
                : FieldErrors.Invalid(path.Child("type"), s.Type, "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (s.Type.Length == 0 && !s.XIntOrString && !s.PreservesUnknownFields)
        {
            errors.Add(FieldErrors.Required(path.Child("type"), level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }

        if (s.XEmbeddedResource && s.AdditionalProperties is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (level == Level.Root && s.Type.Length > 0 && s.Type != "object")
        {
            errors.Add(FieldErrors.Invalid(path.Child("type"), s.Type, "must be object at the root"));
        }

        foreach (var typeMeta in new[] { "kind", "apiVersion" })
        {
            if (checkMetadata && s.Property(typeMeta) is { } member && member.Type != "string")
            {
                errors.Add(FieldErrors.Invalid(path.Child("properties").Key(typeMeta).Child("type"), member.Type, "must be string"));
            }
        }

        if (s.Property("metadata") is { } metadata)
        {
            MetadataInvariants(metadata, checkMetadata, level, path.Child("properties").Key("metadata"), errors);
        }

        if (s.XEmbeddedResource && !s.PreservesUnknownFields && (s.Properties?.Count ?? 0) == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }
    }

    /// <summary>kube's <c>validateStructuralMetadataInvariants</c>: at the root, metadata may only say something about name and generateName.</summary>
    private static void MetadataInvariants(JsonSchema s, bool checkMetadata, Level level, FieldPath path, List<FieldError> errors)
    {
        if (checkMetadata && s.Type != "object")
        {
            errors.Add(FieldErrors.Invalid(path.Child("type"), s.Type, "must be object"));
        }

        if (level != Level.Root)
        {
            return;
        }

        var names = s.Properties?.Select(p => p.Key).ToList() ?? [];
        var onlyNames = names.Count > 0 && names.All(n => n is "name" or "generateName");
        // What the structural form keeps, less the type, the default (checked elsewhere) and what it drops (externalDocs, example).
        var rest = s.SetMembers().Where(m => m is not ("Type" or "Default" or "ExternalDocs" or "Example")
            && !(m == "Properties" && (onlyNames || names.Count == 0)));
        if (rest.Any())
        {
            errors.Add(FieldErrors.Forbidden(path, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    /// <summary>The two junctors kube allows to spell int-or-string: <c>anyOf: [{type: integer}, {type: string}]</c>.</summary>
    private static bool IsIntOrStringAnyOf(IReadOnlyList<JsonSchema>? anyOf) =>
        anyOf is { Count: 2 } && IsBareType(anyOf[0], "integer") && IsBareType(anyOf[1], "string");

    private static bool IsBareType(JsonSchema s, string type) => s.Type == type && s.SetMembers().SequenceEqual(["Type"]);

    /// <summary>kube's <c>validateValueValidation</c>: the junctors of a schema, and its pattern.</summary>
    private static void ValueValidation(JsonSchema v, bool skipAnyOf, bool skipFirstAllOfAnyOf, Level level, FieldPath path, List<FieldError> errors)
    {
        if (!skipAnyOf)
        {
            for (var i = 0; i < (v.AnyOf?.Count ?? 0); i++)
            {
                NestedValueValidation(v.AnyOf![i], false, level, path.Child("anyOf").Index(i), errors);
            }
        }

        for (var i = 0; i < (v.AllOf?.Count ?? 0); i++)
        {
            NestedValueValidation(v.AllOf![i], skipFirstAllOfAnyOf && i == 0, level, path.Child("allOf").Index(i), errors);
        }

        for (var i = 0; i < (v.OneOf?.Count ?? 0); i++)
        {
            NestedValueValidation(v.OneOf![i], false, level, path.Child("oneOf").Index(i), errors);
        }

        if (v.Not is { } not)
        {
            NestedValueValidation(not, false, level, path.Child("not"), errors);
        }

        if (v.Pattern.Length > 0 && PatternError(v.Pattern) is { } message)
        {
            errors.Add(FieldErrors.Invalid(path.Child("pattern"), v.Pattern, "must be a valid regular expression, but isn't: " + message));
        }
    }

    /// <summary>kube's <c>validateNestedValueValidation</c>: inside a junctor only value validations may appear.</summary>
    private static void NestedValueValidation(JsonSchema v, bool skipAnyOf, Level level, FieldPath path, List<FieldError> errors)
    {
        ValueValidation(v, skipAnyOf, false, level, path, errors);
        if (v.Items?.Schema is { } item)
        {
            NestedValueValidation(item, false, level, path.Child("items"), errors);
        }

        foreach (var (name, property) in v.Properties ?? [])
        {
            NestedValueValidation(property, false, Level.Field, path.Child("properties").Key(name), errors);
        }

        if (v.Type.Length > 0)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("type"), "must be empty to be structural"));
        }

        // additionalProperties: false builds no nested value validation, so only true or a schema is refused.
        if (v.AdditionalProperties is { } additional && (additional.Allows || additional.Schema is not null))
        {
            errors.Add(FieldErrors.Forbidden(path.Child("additionalProperties"), "must be undefined to be structural"));
        }

        if (v.HasDefault)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("default"), "must be undefined to be structural"));
        }

        if (v.Title.Length > 0)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("title"), "must be empty to be structural"));
        }

        if (v.Description.Length > 0)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("description"), "must be empty to be structural"));
        }

        if (v.Nullable)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("nullable"), "must be false to be structural"));
        }

        if (v.PreservesUnknownFields)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-preserve-unknown-fields"), "must be false to be structural"));
        }

        if (v.XEmbeddedResource)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-embedded-resource"), "must be false to be structural"));
        }

        if (v.XIntOrString)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-int-or-string"), "must be false to be structural"));
        }

        if (v.XListMapKeys is { Count: > 0 })
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-list-map-keys"), "must be empty to be structural"));
        }

        if (v.XListType is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-list-type"), "must be undefined to be structural"));
        }

        if (v.XMapType is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-map-type"), "must be undefined to be structural"));
        }

        if (v.XValidations is { Count: > 0 })
        {
            errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-validations"), "must be empty to be structural"));
        }

        if (v.HasProperty("metadata"))
        {
            errors.Add(FieldErrors.Forbidden(path.Child("properties").Key("metadata"), "must not be specified in a nested context"));
        }
    }

    /// <summary>kube's <c>validateValueValidationCompleteness</c>: whatever a junctor constrains, the structural schema declares.</summary>
    private static void ValueValidationCompleteness(JsonSchema v, JsonSchema s, FieldPath sPath, FieldPath vPath, List<FieldError> errors)
    {
        if (v.Not is { } not)
        {
            NestedCompleteness(not, s, sPath, vPath.Child("not"), errors);
        }

        Each(v.AllOf, "allOf");
        Each(v.AnyOf, "anyOf");
        Each(v.OneOf, "oneOf");

        void Each(IReadOnlyList<JsonSchema>? junctors, string name)
        {
            for (var i = 0; i < (junctors?.Count ?? 0); i++)
            {
                NestedCompleteness(junctors![i], s, sPath, vPath.Child(name).Index(i), errors);
            }
        }
    }

    private static void NestedCompleteness(JsonSchema v, JsonSchema? s, FieldPath sPath, FieldPath vPath, List<FieldError> errors)
    {
        if (s is null)
        {
            errors.Add(FieldErrors.Required(sPath, $"because it is defined in {vPath}"));
            return;
        }

        ValueValidationCompleteness(v, s, sPath, vPath, errors);
        if (v.Items?.Schema is { } item)
        {
            NestedCompleteness(item, s.Items?.Schema, sPath.Child("items"), vPath.Child("items"), errors);
        }

        foreach (var (name, property) in v.Properties ?? [])
        {
            var declared = s.Property(name);
            if (declared is null)
            {
                errors.Add(FieldErrors.Required(sPath.Child("properties").Key(name), $"because it is defined in {vPath.Child("properties").Key(name)}"));
            }
            else
            {
                NestedCompleteness(property, declared, sPath.Child("properties").Key(name), vPath.Child("properties").Key(name), errors);
            }
        }
    }

    /// <summary>
    /// Why the pattern is no regular expression. kube compiles it with Go's RE2; .NET's engine is close enough to catch
    /// the usual mistakes (unbalanced groups, bad escapes), though its words differ and it accepts lookarounds RE2 refuses.
    /// </summary>
    private static string? PatternError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return "error parsing regexp: " + ex.Message;
        }
    }
}
