using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Gantry.Core.Validation;
using Gantry.Server.Registry.CustomResources.Conversion;
using Gantry.Server.Registry.Rules.AdmissionRegistration;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>
/// kube's <c>validateCustomResourceDefinitionSpec</c> over a v1 spec. kube validates its internal form, into which
/// the v1 conversion hoists per-version schemas, subresources, printer columns and selectable fields that are the
/// same in every version to the top level (<c>spec.validation</c>, <c>spec.subresources</c>, …); so errors about a
/// single-version CRD's schema name <c>spec.validation.openAPIV3Schema</c>, as kube's do.
/// </summary>
internal static class CustomResourceDefinitionSpecValidation
{
    public const string NoneConverter = "None";
    public const string WebhookConverter = "Webhook";
    public const int MaxSelectableFields = 8;

    private static readonly string[] Scopes = ["Cluster", "Namespaced"];
    private static readonly string[] ConversionStrategies = [NoneConverter, WebhookConverter];
    private static readonly string[] AcceptedConversionReviewVersions = ["v1", "v1beta1"];
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];
    private static readonly string[] ColumnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];
    private static readonly GoValue Versions = GoValue.Struct("[]apiextensions.CustomResourceDefinitionVersion");

    public static void Validate(V1CustomResourceDefinitionSpec? spec, CustomResourceDefinitionValidationOptions options, List<FieldError> errors)
    {
        spec ??= new V1CustomResourceDefinitionSpec();
        var path = FieldPath.Of("spec");
        var versions = spec.Versions ?? [];
        var hoisted = Hoisting.Of(versions);
        var preserveUnknownFields = spec.PreserveUnknownFields == true;

        var group = spec.Group ?? "";
        if (group.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("group")));
        }
        else if (FormatValidation.IsDns1123Subdomain(group) is { Count: > 0 } groupErrors)
        {
            errors.Add(FieldErrors.Invalid(path.Child("group"), group, string.Join(",", groupErrors)));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(path.Child("group"), group, "should be a domain with at least one dot"));
        }

        Enum(path.Child("scope"), spec.Scope, Scopes, errors);

        // Pruning, defaults and the x-kubernetes extensions all need structural schemas.
        if (!preserveUnknownFields || HasSchemaWith(versions, s => s.HasDefault) || HasSchemaWith(versions, HasKubernetesExtensions))
        {
            options = options with { RequireStructuralSchema = true };
        }

        var schemaPath = (int i) => path.Child("versions").Index(i).Child("schema").Child("openAPIV3Schema");
        if (hoisted.Validation?.OpenAPIV3Schema is null)
        {
            for (var i = 0; i < versions.Count; i++)
            {
                if (hoisted.SchemaOf(i)?.OpenAPIV3Schema is not null)
                {
                    continue;
                }

                if (options.RequireOpenApiSchema)
                {
                    errors.Add(FieldErrors.Required(schemaPath(i), "schemas are required"));
                }
                else if (!preserveUnknownFields && versions[i].Served)
                {
                    errors.Add(FieldErrors.Required(schemaPath(i), "because otherwise all fields are pruned"));
                }
            }
        }

        if (options.AllowDefaults && preserveUnknownFields && HasSchemaWith(versions, s => s.HasDefault))
        {
            errors.Add(FieldErrors.Invalid(path.Child("preserveUnknownFields"), true, "must be false in order to use defaults in the schema"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var unique = true;
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            var name = version.Name ?? "";
            unique &= names.Add(name);
            if (FormatValidation.IsDns1035Label(name) is { Count: > 0 } nameErrors)
            {
                errors.Add(FieldErrors.Invalid(path.Child("versions").Index(i).Child("name"), name, string.Join(",", nameErrors)));
            }

            Version(version, hoisted, i, options, path.Child("versions").Index(i), errors);
        }

        if (!unique)
        {
            errors.Add(FieldErrors.Invalid(path.Child("versions"), Versions, "must contain unique version names"));
        }

        if (versions.Count(v => v.Storage) != 1)
        {
            errors.Add(FieldErrors.Invalid(path.Child("versions"), Versions, "must have exactly one version marked as storage version"));
        }

        // The internal form's spec.version is the first version's name, and kube checks it again there.
        if (versions.Count > 0 && !string.IsNullOrEmpty(versions[0].Name) && FormatValidation.IsDns1035Label(versions[0].Name) is { Count: > 0 } firstErrors)
        {
            errors.Add(FieldErrors.Invalid(path.Child("version"), versions[0].Name, string.Join(",", firstErrors)));
        }

        var specNames = spec.Names ?? new V1CustomResourceDefinitionNames();
        foreach (var (member, value) in new[] { ("plural", specNames.Plural), ("singular", specNames.Singular), ("kind", specNames.Kind), ("listKind", specNames.ListKind) })
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(FieldErrors.Required(path.Child("names").Child(member)));
            }
        }

        ValidateNames(specNames, path.Child("names"), errors);
        var anyStatus = HasStatus(hoisted.Subresources) || (!hoisted.SubresourcesHoisted && versions.Any(v => HasStatus(v.Subresources)));
        OpenApiSchemaValidation.Validate(hoisted.Validation, anyStatus, options, path.Child("validation"), errors);
        Subresources(hoisted.Subresources, path.Child("subresources"), errors);
        Columns(hoisted.Columns, path.Child("additionalPrinterColumns"), errors);
        if (hoisted.SelectableFields is { Count: > 0 } selectable)
        {
            if (hoisted.Validation is null)
            {
                errors.Add(FieldErrors.Invalid(path.Child("selectableFields"), "", "selectableFields may only be set when validations.schema is included"));
            }
            else
            {
                SelectableFields(selectable, path.Child("selectableFields"), errors);
            }
        }

        if (spec.Conversion is { } conversion && conversion.Strategy != NoneConverter && preserveUnknownFields)
        {
            errors.Add(FieldErrors.Invalid(path.Child("conversion").Child("strategy"), conversion.Strategy ?? "", "must be None if spec.preserveUnknownFields is true"));
        }

        Conversion(spec.Conversion, options.RequireRecognizedConversionReviewVersion, path.Child("conversion"), errors);
    }

    /// <summary>kube's <c>ValidateCustomResourceDefinitionNames</c>, for <c>spec.names</c> and <c>status.acceptedNames</c>.</summary>
    public static void ValidateNames(V1CustomResourceDefinitionNames? names, FieldPath path, List<FieldError> errors)
    {
        if (names is null)
        {
            return;
        }

        Label(names.Plural, path.Child("plural"), "");
        Label(names.Singular, path.Child("singular"), "");
        Label(names.Kind, path.Child("kind"), "may have mixed case, but should otherwise match: ");
        Label(names.ListKind, path.Child("listKind"), "may have mixed case, but should otherwise match: ");
        for (var i = 0; i < (names.ShortNames?.Count ?? 0); i++)
        {
            Label(names.ShortNames![i] ?? "", path.Child("shortNames").Index(i), "", always: true);
        }

        if (!string.IsNullOrEmpty(names.Kind) && names.Kind == names.ListKind)
        {
            errors.Add(FieldErrors.Invalid(path.Child("listKind"), names.ListKind, "kind and listKind may not be the same"));
        }

        for (var i = 0; i < (names.Categories?.Count ?? 0); i++)
        {
            Label(names.Categories![i] ?? "", path.Child("categories").Index(i), "", always: true);
        }

        void Label(string? value, FieldPath at, string prefix, bool always = false)
        {
            if (value is null || (value.Length == 0 && !always))
            {
                return;
            }

            // Kinds may have mixed case: kube checks their lowercase form.
            var checkedValue = prefix.Length > 0 ? value.ToLowerInvariant() : value;
            if (FormatValidation.IsDns1035Label(checkedValue) is { Count: > 0 } labelErrors)
            {
                errors.Add(FieldErrors.Invalid(at, value, prefix + string.Join(",", labelErrors)));
            }
        }
    }

    /// <summary>Whether <paramref name="schema"/> (or anything in it) uses one of the <c>x-kubernetes-*</c> extensions.</summary>
    public static bool HasKubernetesExtensions(JsonSchema schema) =>
        schema.XEmbeddedResource || schema.XPreserveUnknownFields is not null || schema.XIntOrString
        || schema.XListMapKeys is { Count: > 0 } || schema.XListType is not null || schema.XValidations is { Count: > 0 };

    /// <summary>Whether any version's schema holds a schema satisfying <paramref name="predicate"/>, as kube's <c>HasSchemaWith</c>.</summary>
    public static bool HasSchemaWith(IEnumerable<V1CustomResourceDefinitionVersion>? versions, Func<JsonSchema, bool> predicate) =>
        versions?.Any(v => OpenApiSchemaValidation.Has(v.Schema, predicate)) == true;

    private static bool HasStatus(V1CustomResourceSubresources? subresources) =>
        subresources?.Status is not (null or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null });

    /// <summary>kube's <c>validateCustomResourceDefinitionVersion</c>: what a version says that its siblings do not.</summary>
    private static void Version(
        V1CustomResourceDefinitionVersion version, Hoisting hoisted, int index, CustomResourceDefinitionValidationOptions options, FieldPath path, List<FieldError> errors)
    {
        foreach (var message in DeprecationWarningErrors(version.Deprecated == true, version.DeprecationWarning))
        {
            errors.Add(FieldErrors.Invalid(path.Child("deprecationWarning"), version.DeprecationWarning ?? "", message));
        }

        var schema = hoisted.SchemaOf(index);
        OpenApiSchemaValidation.Validate(schema, HasStatus(hoisted.SubresourcesOf(index)), options, path.Child("schema"), errors);
        Subresources(hoisted.SubresourcesHoisted ? null : version.Subresources, path.Child("subresources"), errors);
        Columns(hoisted.ColumnsHoisted ? null : version.AdditionalPrinterColumns, path.Child("additionalPrinterColumns"), errors);
        if ((hoisted.SelectableFieldsHoisted ? null : version.SelectableFields) is { Count: > 0 } selectable)
        {
            if (schema?.OpenAPIV3Schema is null)
            {
                errors.Add(FieldErrors.Invalid(path.Child("selectableFields"), "", "selectableFields may only be set when version.schema.openAPIV3Schema is not included"));
            }
            else
            {
                SelectableFields(selectable, path.Child("selectableFields"), errors);
            }
        }
    }

    private static IEnumerable<string> DeprecationWarningErrors(bool deprecated, string? warning)
    {
        if (!deprecated && warning is not null)
        {
            yield return "can only be set for deprecated versions";
        }

        if (warning is null)
        {
            yield break;
        }

        if (Encoding.UTF8.GetByteCount(warning) > 256)
        {
            yield return "must be <= 256 characters long";
        }

        if (warning.Length == 0)
        {
            yield return "must not be an empty string";
        }

        var offset = 0;
        foreach (var rune in warning.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                yield return $"must only contain printable UTF-8 characters; non-printable character found at index {offset.ToString(CultureInfo.InvariantCulture)}";
                break;
            }

            offset += rune.Utf8SequenceLength;
        }
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator);

    /// <summary>kube's <c>ValidateCustomResourceDefinitionSubresources</c>: the scale subresource's paths.</summary>
    private static void Subresources(V1CustomResourceSubresources? subresources, FieldPath path, List<FieldError> errors)
    {
        if (subresources?.Scale is not { } scale)
        {
            return;
        }

        ReplicasPath(scale.SpecReplicasPath, path.Child("scale.specReplicasPath"), ".spec.", "should be a json path under .spec");
        ReplicasPath(scale.StatusReplicasPath, path.Child("scale.statusReplicasPath"), ".status.", "should be a json path under .status");
        if (!string.IsNullOrEmpty(scale.LabelSelectorPath))
        {
            var at = path.Child("scale.labelSelectorPath");
            var before = errors.Count;
            SimpleJsonPath(scale.LabelSelectorPath, at, errors);
            if (errors.Count == before && !scale.LabelSelectorPath.StartsWith(".spec.", StringComparison.Ordinal)
                && !scale.LabelSelectorPath.StartsWith(".status.", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(at, scale.LabelSelectorPath, "should be a json path under either .spec or .status"));
            }
        }

        void ReplicasPath(string? value, FieldPath at, string prefix, string detail)
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(FieldErrors.Required(at));
                return;
            }

            var before = errors.Count;
            SimpleJsonPath(value, at, errors);
            if (errors.Count == before && !value.StartsWith(prefix, StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(at, value, detail));
            }
        }
    }

    /// <summary>kube's <c>validateSimpleJSONPath</c>.</summary>
    private static void SimpleJsonPath(string value, FieldPath path, List<FieldError> errors)
    {
        if (value.Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path, value, "must not be empty"));
        }
        else if (value[0] != '.')
        {
            errors.Add(FieldErrors.Invalid(path, value, "must be a simple json path starting with ."));
        }
    }

    /// <summary>kube's <c>ValidateCustomResourceColumnDefinition</c>, which names the path member <c>JSONPath</c> as kube's internal type does.</summary>
    private static void Columns(IList<V1CustomResourceColumnDefinition>? columns, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < (columns?.Count ?? 0); i++)
        {
            var column = columns![i] ?? new V1CustomResourceColumnDefinition();
            var at = path.Index(i);
            if (string.IsNullOrEmpty(column.Name))
            {
                errors.Add(FieldErrors.Required(at.Child("name")));
            }

            var typeDetail = "must be one of " + string.Join(",", ColumnTypes);
            if (string.IsNullOrEmpty(column.Type))
            {
                errors.Add(FieldErrors.Required(at.Child("type"), typeDetail));
            }
            else if (!ColumnTypes.Contains(column.Type))
            {
                errors.Add(FieldErrors.Invalid(at.Child("type"), column.Type, typeDetail));
            }

            if (!string.IsNullOrEmpty(column.Format) && !ColumnFormats.Contains(column.Format))
            {
                errors.Add(FieldErrors.Invalid(at.Child("format"), column.Format, "must be one of " + string.Join(",", ColumnFormats)));
            }

            if (string.IsNullOrEmpty(column.JsonPath))
            {
                errors.Add(FieldErrors.Required(at.Child("JSONPath")));
            }
            else
            {
                SimpleJsonPath(column.JsonPath, at.Child("JSONPath"), errors);
            }
        }
    }

    /// <summary>
    /// kube's <c>ValidateCustomResourceSelectableFields</c>, less the resolution of each path in the schema (kube's CEL
    /// field-path parser): paths are required, outside metadata, distinct and at most eight.
    /// </summary>
    private static void SelectableFields(IList<V1SelectableField> fields, FieldPath path, List<FieldError> errors)
    {
        var unique = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var jsonPath = fields[i]?.JsonPath ?? "";
            var at = path.Index(i).Child("jsonPath");
            if (jsonPath.Length == 0)
            {
                errors.Add(FieldErrors.Required(at));
                continue;
            }

            if (jsonPath == ".metadata" || jsonPath.StartsWith(".metadata.", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(at, jsonPath, "must not point to fields in metadata"));
            }

            if (!unique.Add(jsonPath))
            {
                errors.Add(FieldErrors.Duplicate(at, jsonPath));
            }
        }

        if (unique.Count > MaxSelectableFields)
        {
            errors.Add(FieldErrors.TooMany(path, unique.Count, MaxSelectableFields));
        }
    }

    /// <summary>
    /// kube's <c>validateCustomResourceConversion</c>, which names the v1 <c>webhook.clientConfig</c> and
    /// <c>webhook.conversionReviewVersions</c> by their internal names.
    /// </summary>
    private static void Conversion(V1CustomResourceConversion? conversion, bool requireRecognizedVersion, FieldPath path, List<FieldError> errors)
    {
        if (conversion is null)
        {
            return;
        }

        Enum(path.Child("strategy"), conversion.Strategy, ConversionStrategies, errors);
        var clientConfig = conversion.Webhook?.ClientConfig;
        var reviewVersions = conversion.Webhook?.ConversionReviewVersions;
        if (conversion.Strategy == WebhookConverter)
        {
            if (clientConfig is null)
            {
                errors.Add(FieldErrors.Required(path.Child("webhookClientConfig"), "required when strategy is set to Webhook"));
            }
            else
            {
                WebhookClientConfigValidation.Validate(CustomResourceConversion.ClientConfig(clientConfig), path.Child("webhookClientConfig"), errors);
            }

            ReviewVersionValidation.Validate(reviewVersions, AcceptedConversionReviewVersions, requireRecognizedVersion, path.Child("conversionReviewVersions"), errors);
            return;
        }

        if (clientConfig is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("webhookClientConfig"), "should not be set when strategy is not set to Webhook"));
        }

        if (reviewVersions is { Count: > 0 })
        {
            errors.Add(FieldErrors.Forbidden(path.Child("conversionReviewVersions"), "should not be set when strategy is not set to Webhook"));
        }
    }

    /// <summary>kube's <c>validateEnumStrings</c> for a required value.</summary>
    private static void Enum(FieldPath path, string? value, string[] accepted, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldErrors.Required(path));
        }
        else if (!accepted.Contains(value))
        {
            errors.Add(FieldErrors.NotSupported(path, value, accepted));
        }
    }

    /// <summary>
    /// What the v1-to-internal conversion moves to the top level: a per-version member that is the same (semantically)
    /// in every version. A hoisted member is read at the top level and no longer in the versions.
    /// </summary>
    private sealed record Hoisting(
        IList<V1CustomResourceDefinitionVersion> Versions,
        bool SchemaHoisted,
        bool SubresourcesHoisted,
        bool ColumnsHoisted,
        bool SelectableFieldsHoisted)
    {
        public V1CustomResourceValidation? Validation => SchemaHoisted ? Versions[0].Schema : null;

        public V1CustomResourceSubresources? Subresources => SubresourcesHoisted ? Versions[0].Subresources : null;

        public IList<V1CustomResourceColumnDefinition>? Columns => ColumnsHoisted ? Versions[0].AdditionalPrinterColumns : null;

        public IList<V1SelectableField>? SelectableFields => SelectableFieldsHoisted ? Versions[0].SelectableFields : null;

        public static Hoisting Of(IList<V1CustomResourceDefinitionVersion> versions) => new(
            versions,
            Same(versions, v => v.Schema),
            Same(versions, v => v.Subresources),
            Same(versions, v => v.AdditionalPrinterColumns),
            Same(versions, v => v.SelectableFields));

        public V1CustomResourceValidation? SchemaOf(int index) => SchemaHoisted ? null : Versions[index].Schema;

        /// <summary>kube's <c>getSubresourcesForVersion</c>: the hoisted subresources, or the version's own.</summary>
        public V1CustomResourceSubresources? SubresourcesOf(int index) => SubresourcesHoisted ? Subresources : Versions[index].Subresources;

        /// <summary>
        /// Equal wire forms. Not <see cref="SemanticEquality"/>, which counts empty objects as unset: an empty schema
        /// (<c>properties: {spec: {}}</c>) or <c>scale: {}</c> is a member Go's <c>Semantic.DeepEqual</c> tells apart.
        /// </summary>
        private static bool Same(IList<V1CustomResourceDefinitionVersion> versions, Func<V1CustomResourceDefinitionVersion, object?> member)
        {
            if (versions.Count == 0)
            {
                return false;
            }

            var first = WireForm(member(versions[0]));
            return versions.Skip(1).All(v => JsonNode.DeepEquals(WireForm(member(v)), first));
        }

        private static JsonNode? WireForm(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));
    }
}
