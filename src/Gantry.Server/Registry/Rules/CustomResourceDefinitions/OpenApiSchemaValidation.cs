using System.Text.RegularExpressions;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>
/// kube's checks of a CRD's <c>openAPIV3Schema</c> (<c>validateCustomResourceDefinitionValidation</c> and
/// <c>ValidateCustomResourceDefinitionOpenAPISchema</c>): what may stand at the root, the structural rules, the
/// OpenAPI features CRDs refuse, and the <c>x-kubernetes-*</c> extensions. The CEL rules of
/// <c>x-kubernetes-validations</c> are checked for form only, never compiled.
/// </summary>
internal static partial class OpenApiSchemaValidation
{
    private static readonly string[] OpenApiV3Types = ["array", "boolean", "integer", "number", "object", "string"];
    private static readonly string[] MapTypes = ["atomic", "granular"];
    private static readonly string[] ListTypes = ["atomic", "set", "map"];
    private static readonly string[] ValidationReasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];
    private static readonly string[] MetaFields = ["metadata", "kind", "apiVersion"];

    private static readonly string[] AllowedAtRoot =
    [
        "Description", "Type", "Format", "Title", "Maximum", "ExclusiveMaximum", "Minimum", "ExclusiveMinimum", "MaxLength", "MinLength",
        "Pattern", "MaxItems", "MinItems", "UniqueItems", "MultipleOf", "Required", "Items", "Properties", "ExternalDocs", "Example",
        "XPreserveUnknownFields", "XValidations",
    ];

    /// <summary>
    /// kube's <c>validateCustomResourceDefinitionValidation</c>: the schema of one version (or of all, where they are
    /// the same) at <paramref name="path"/>.
    /// </summary>
    public static void Validate(
        V1CustomResourceValidation? validation, bool statusEnabled, CustomResourceDefinitionValidationOptions options, FieldPath path, List<FieldError> errors)
    {
        if (validation?.OpenAPIV3Schema is not { } props)
        {
            return;
        }

        var schema = JsonSchema.From(props);
        var mine = new List<FieldError>();
        var root = path.Child("openAPIV3Schema");
        if (statusEnabled)
        {
            foreach (var member in schema.SetMembers())
            {
                if (member == "Type")
                {
                    if (schema.Type != "object")
                    {
                        mine.Add(FieldErrors.Invalid(path.Child("openAPIV3Schema.type"), schema.Type,
                            "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled"));
                        break;
                    }

                    continue;
                }

                if (!AllowedAtRoot.Contains(member))
                {
                    mine.Add(FieldErrors.Invalid(root, GoValue.Struct("apiextensions.JSONSchemaProps"),
                        $"only [{string.Join(' ', AllowedAtRoot)}] fields are allowed at the root of the schema if the status subresource is enabled"));
                    break;
                }
            }
        }

        if (schema.Nullable)
        {
            mine.Add(FieldErrors.Forbidden(path.Child("openAPIV3Schema.nullable"), "nullable cannot be true at the root"));
        }

        FieldError? conversionError = null;
        if (options.RequireStructuralSchema)
        {
            if (StructuralSchemaValidation.ConversionError(schema) is { } message)
            {
                // Shown only when nothing else is wrong: the checks below name the same problems more precisely.
                conversionError = FieldErrors.Invalid(root, "", message);
            }
            else
            {
                mine.AddRange(StructuralSchemaValidation.Validate(root, schema));
            }
        }

        var standard = new StandardValidator(options.AllowDefaults, "", false, options.RequireValidPropertyType);
        Schema(schema, root, standard, isRoot: true, options, mine);
        if (mine.Count == 0 && conversionError is not null)
        {
            mine.Add(conversionError);
        }

        errors.AddRange(mine);
    }

    /// <summary>Whether any schema in <paramref name="validation"/> satisfies <paramref name="predicate"/>.</summary>
    public static bool Has(V1CustomResourceValidation? validation, Func<JsonSchema, bool> predicate) =>
        validation?.OpenAPIV3Schema is { } props && JsonSchema.From(props).Has(predicate);

    /// <summary>kube's <c>hasNonAtomicSetType</c> test for one schema.</summary>
    public static bool IsNonAtomicSet(JsonSchema s) =>
        s is { XListType: "set", Items.Schema: { } item } && item.Type switch
        {
            "array" => item.XListType is not null and not "atomic",
            "object" => item.XMapType is not "atomic",
            _ => false,
        };

    /// <summary>kube's <c>hasInvalidMapListKeysMapSet</c> test for one schema.</summary>
    public static bool HasInvalidMapListKeys(JsonSchema s)
    {
        var errors = new List<FieldError>();
        MapListKeysMapSet(s, FieldPath.Root, errors);
        return errors.Count > 0;
    }

    /// <summary>kube's <c>ValidateCustomResourceDefinitionOpenAPISchema</c>, without the CEL compilation.</summary>
    private static void Schema(JsonSchema? schema, FieldPath path, StandardValidator ssv, bool isRoot, CustomResourceDefinitionValidationOptions options, List<FieldError> errors)
    {
        if (schema is null)
        {
            return;
        }

        ssv.Validate(schema, path, errors);
        if (schema.UniqueItems)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("uniqueItems"), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        if (schema.AdditionalProperties is { } additional)
        {
            if (schema.Properties is { Count: > 0 } && (!additional.Allows || additional.Schema is not null))
            {
                errors.Add(FieldErrors.Forbidden(path.Child("additionalProperties"), "additionalProperties and properties are mutual exclusive"));
            }

            var sub = ssv.InsideResourceMeta ? ssv.WithForbiddenDefaults("inside additionalProperties applying to object metadata") : ssv;
            Schema(additional.Schema, path.Child("additionalProperties"), sub, false, options, errors);
        }

        foreach (var (name, property) in schema.Properties ?? [])
        {
            var sub = ssv;
            if ((isRoot || schema.XEmbeddedResource) && MetaFields.Contains(name))
            {
                sub = sub with { InsideResourceMeta = true };
                if (isRoot)
                {
                    sub = sub.WithForbiddenDefaults($"in top-level {name}");
                }
            }

            Schema(property, path.Child("properties").Key(name), sub, false, options, errors);
        }

        Schema(schema.Not, path.Child("not"), ssv, false, options, errors);
        Each(schema.AllOf, "allOf");
        Each(schema.OneOf, "oneOf");
        Each(schema.AnyOf, "anyOf");
        foreach (var (name, definition) in schema.Definitions ?? [])
        {
            Schema(definition, path.Child("definitions").Key(name), ssv, false, options, errors);
        }

        if (schema.Items is { } items)
        {
            Schema(items.Schema, path.Child("items"), ssv, false, options, errors);
            for (var i = 0; i < (items.Schemas?.Count ?? 0); i++)
            {
                Schema(items.Schemas![i], path.Child("items").Index(i), ssv, false, options, errors);
            }
        }

        foreach (var (name, dependency) in schema.Dependencies ?? [])
        {
            Schema(dependency, path.Child("dependencies").Key(name), ssv, false, options, errors);
        }

        Extensions(schema, path, options, errors);
        if (schema.XValidations is { Count: > 0 } rules)
        {
            ValidationRules(rules, path.Child("x-kubernetes-validations"), errors);
        }

        void Each(IReadOnlyList<JsonSchema>? junctors, string name)
        {
            for (var i = 0; i < (junctors?.Count ?? 0); i++)
            {
                Schema(junctors![i], path.Child(name).Index(i), ssv, false, options, errors);
            }
        }
    }

    /// <summary>The <c>x-kubernetes-*</c> extensions of one schema: preserve-unknown-fields, map and list types, list map keys.</summary>
    private static void Extensions(JsonSchema schema, FieldPath path, CustomResourceDefinitionValidationOptions options, List<FieldError> errors)
    {
        if (schema.XPreserveUnknownFields == false)
        {
            errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined"));
        }

        if (schema.XMapType is { } mapType)
        {
            if (schema.Type != "object")
            {
                errors.Add(schema.Type.Length == 0
                    ? FieldErrors.Required(path.Child("type"), "must be object if x-kubernetes-map-type is specified")
                    : FieldErrors.Invalid(path.Child("type"), schema.Type, "must be object if x-kubernetes-map-type is specified"));
            }

            if (!MapTypes.Contains(mapType))
            {
                errors.Add(FieldErrors.NotSupported(path.Child("x-kubernetes-map-type"), mapType, MapTypes));
            }
        }

        var listType = schema.XListType;
        if (listType is not null && schema.Type != "array")
        {
            errors.Add(schema.Type.Length == 0
                ? FieldErrors.Required(path.Child("type"), "must be array if x-kubernetes-list-type is specified")
                : FieldErrors.Invalid(path.Child("type"), schema.Type, "must be array if x-kubernetes-list-type is specified"));
        }
        else if (options.RequireAtomicSetType && listType == "set" && schema.Items?.Schema is { } setItem)
        {
            if (setItem.Type == "array" && setItem.XListType is not null and not "atomic")
            {
                errors.Add(FieldErrors.Invalid(path.Child("items").Child("x-kubernetes-list-type"), setItem.XListType, "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
            else if (setItem.Type == "object" && setItem.XMapType is not "atomic")
            {
                // kube reports the item's list type here, which is unset on an object: "null".
                errors.Add(FieldErrors.Invalid(path.Child("items").Child("x-kubernetes-map-type"), setItem.XListType ?? "null", "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }

        if (listType is not null && !ListTypes.Contains(listType))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("x-kubernetes-list-type"), listType, ListTypes));
        }

        if (schema.XListMapKeys is { Count: > 0 })
        {
            if (listType is null)
            {
                errors.Add(FieldErrors.Required(path.Child("x-kubernetes-list-type"), "must be map if x-kubernetes-list-map-keys is non-empty"));
            }
            else if (listType != "map")
            {
                errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-list-type"), listType, "must be map if x-kubernetes-list-map-keys is non-empty"));
            }
        }

        if (listType == "map")
        {
            MapList(schema, path, errors);
        }

        if (options.RequireMapListKeysMapSetValidation)
        {
            MapListKeysMapSet(schema, path, errors);
        }
    }

    private static void MapList(JsonSchema schema, FieldPath path, List<FieldError> errors)
    {
        var keys = schema.XListMapKeys ?? [];
        if (keys.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
        }

        if (schema.Items is null)
        {
            errors.Add(FieldErrors.Required(path.Child("items"), "must have a schema if x-kubernetes-list-type is map"));
            return;
        }

        if (schema.Items.Schema is not { } item)
        {
            errors.Add(FieldErrors.Invalid(path.Child("items"), GoValue.Struct("apiextensions.JSONSchemaPropsOrArray"), "must only have a single schema if x-kubernetes-list-type is map"));
            return;
        }

        if (item.Type != "object")
        {
            errors.Add(FieldErrors.Invalid(path.Child("items").Child("type"), item.Type, "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (item.Property(key) is { } keySchema)
            {
                if (keySchema.Type is "array" or "object")
                {
                    // kube reports the item's type ("object") here, not the key's.
                    errors.Add(FieldErrors.Invalid(path.Child("items").Child("properties").Key(key).Child("type"), item.Type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
                }
            }
            else
            {
                errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-list-map-keys"), GoValue.Strings(keys), "entries must all be names of item properties"));
            }

            if (!seen.Add(key))
            {
                errors.Add(FieldErrors.Invalid(path.Child("x-kubernetes-list-map-keys"), GoValue.Strings(keys), "must not contain duplicate entries"));
            }
        }
    }

    /// <summary>kube's <c>validateMapListKeysMapSet</c>: items of sets and maps are not nullable, and map keys always have a value.</summary>
    private static void MapListKeysMapSet(JsonSchema schema, FieldPath path, List<FieldError> errors)
    {
        if (schema.Items?.Schema is not { } item || schema.XListType is not ("set" or "map"))
        {
            return;
        }

        if (item.Nullable)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("items").Child("nullable"), "cannot be nullable when x-kubernetes-list-type is " + schema.XListType));
        }

        if (schema.XListType != "map")
        {
            return;
        }

        foreach (var key in schema.XListMapKeys ?? [])
        {
            if (item.Property(key) is not { } keySchema)
            {
                continue;
            }

            var keyPath = path.Child("items").Child("properties").Key(key);
            if (item.Required?.Contains(key) != true && !keySchema.HasDefault)
            {
                errors.Add(FieldErrors.Required(keyPath.Child("default"), "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
            }

            if (keySchema.Nullable)
            {
                errors.Add(FieldErrors.Forbidden(keyPath.Child("nullable"), "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
            }
        }
    }

    /// <summary>The form of <c>x-kubernetes-validations</c> rules (kube 1.32's words); the rules themselves are not compiled.</summary>
    private static void ValidationRules(IList<V1ValidationRule> rules, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePath = path.Index(i);
            var trimmedRule = (rule.Rule ?? "").Trim();
            var message = rule.Message ?? "";
            var trimmedMessage = message.Trim();
            if (trimmedRule.Length == 0)
            {
                errors.Add(FieldErrors.Required(rulePath.Child("rule"), "rule is not specified"));
            }
            else if (message.Length > 0 && trimmedMessage.Length == 0)
            {
                errors.Add(FieldErrors.Invalid(rulePath.Child("message"), message, "message must be non-empty if specified"));
            }
            else if (HasNewlines(trimmedMessage))
            {
                errors.Add(FieldErrors.Invalid(rulePath.Child("message"), message, "message must not contain line breaks"));
            }
            else if (HasNewlines(trimmedRule) && trimmedMessage.Length == 0)
            {
                errors.Add(FieldErrors.Required(rulePath.Child("message"), "message must be specified if rule contains line breaks"));
            }

            if (!string.IsNullOrEmpty(rule.MessageExpression) && rule.MessageExpression.Trim().Length == 0)
            {
                errors.Add(FieldErrors.Required(rulePath.Child("messageExpression"), "messageExpression must be non-empty if specified"));
            }

            if (rule.Reason is { } reason && !ValidationReasons.Contains(reason))
            {
                errors.Add(FieldErrors.NotSupported(rulePath.Child("reason"), reason, ValidationReasons));
            }

            var fieldPath = rule.FieldPath ?? "";
            if (fieldPath.Length > 0 && fieldPath.Trim().Length == 0)
            {
                errors.Add(FieldErrors.Invalid(rulePath.Child("fieldPath"), fieldPath, "fieldPath must be non-empty if specified"));
            }

            if (HasNewlines(fieldPath))
            {
                errors.Add(FieldErrors.Invalid(rulePath.Child("fieldPath"), fieldPath, "fieldPath must not contain line breaks"));
            }
        }
    }

    private static bool HasNewlines(string value) => NewlineRegex().IsMatch(value);

    [GeneratedRegex("[\n\r]+")]
    private static partial Regex NewlineRegex();

    /// <summary>kube's <c>specStandardValidatorV3</c>: OpenAPI features a CRD schema may not use, wherever they appear.</summary>
    private sealed record StandardValidator(bool AllowDefaults, string DisallowDefaultsReason, bool InsideResourceMeta, bool RequireValidPropertyType)
    {
        public StandardValidator WithForbiddenDefaults(string reason) => this with { AllowDefaults = false, DisallowDefaultsReason = reason };

        public void Validate(JsonSchema schema, FieldPath path, List<FieldError> errors)
        {
            if (RequireValidPropertyType && schema.Type.Length > 0 && !OpenApiV3Types.Contains(schema.Type))
            {
                errors.Add(FieldErrors.NotSupported(path.Child("type"), schema.Type, OpenApiV3Types));
            }

            if (schema.HasDefault && !AllowDefaults)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("default"), DisallowDefaultsReason.Length > 0 ? "must not be set " + DisallowDefaultsReason : "must not be set"));
            }

            if (schema.Id.Length > 0)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("id"), "id is not supported"));
            }

            if (schema.AdditionalItems is not null)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("additionalItems"), "additionalItems is not supported"));
            }

            if (schema.PatternProperties is { Count: > 0 })
            {
                errors.Add(FieldErrors.Forbidden(path.Child("patternProperties"), "patternProperties is not supported"));
            }

            if (schema.Definitions is { Count: > 0 })
            {
                errors.Add(FieldErrors.Forbidden(path.Child("definitions"), "definitions is not supported"));
            }

            if (schema.Dependencies is not null)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("dependencies"), "dependencies is not supported"));
            }

            if (schema.Ref is not null)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("$ref"), "$ref is not supported"));
            }

            if (schema.Type == "null")
            {
                errors.Add(FieldErrors.Forbidden(path.Child("type"), "type cannot be set to null, use nullable as an alternative"));
            }

            if (schema.Items?.Schemas is { Count: > 0 })
            {
                errors.Add(FieldErrors.Forbidden(path.Child("items"), "items must be a schema object and not an array"));
            }

            if (InsideResourceMeta && schema.XEmbeddedResource)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("x-kubernetes-embedded-resource"), "must not be used inside of resource meta"));
            }
        }
    }
}
