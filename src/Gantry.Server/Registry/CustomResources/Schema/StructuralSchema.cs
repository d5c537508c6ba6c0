using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// One CRD version's <c>openAPIV3Schema</c> as apiextensions-apiserver uses it (its <c>schema.Structural</c> together
/// with the value validations kube-openapi checks), built once by <see cref="From"/> from the client model, whose
/// <c>object</c>-typed members (items, additionalProperties, default, enum) are resolved here. Immutable.
/// </summary>
public sealed record StructuralSchema
{
    /// <summary>A schema that specifies nothing: an object under it keeps no field.</summary>
    public static StructuralSchema Empty { get; } = new();

    /// <summary><c>type</c>: object, array, string, integer, number, boolean, or empty.</summary>
    public string Type { get; init; } = "";

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; init; } = FrozenDictionary<string, StructuralSchema>.Empty;

    public StructuralSchema? Items { get; init; }

    public SchemaOrBool? AdditionalProperties { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary><c>enum</c>, or null when there is none. A null element is JSON <c>null</c>.</summary>
    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    /// <summary>
    /// <c>default</c>, already pruned by this schema as kube's <c>PruneDefaults</c> does; null when there is none. Never
    /// hand this instance out: <see cref="StructuralDefaulting"/> copies it.
    /// </summary>
    public JsonNode? Default { get; init; }

    public bool Nullable { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? MultipleOf { get; init; }

    public long? MaxLength { get; init; }

    public long? MinLength { get; init; }

    /// <summary><c>pattern</c> in Go's RE2 syntax, or empty.</summary>
    public string Pattern { get; init; } = "";

    public long? MaxItems { get; init; }

    public long? MinItems { get; init; }

    public bool UniqueItems { get; init; }

    public long? MaxProperties { get; init; }

    public long? MinProperties { get; init; }

    /// <summary><c>format</c> as written; formats kube does not support for the type are not checked.</summary>
    public string Format { get; init; } = "";

    public bool PreserveUnknownFields { get; init; }

    public bool IntOrString { get; init; }

    public bool EmbeddedResource { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic, set or map; null when not given.</summary>
    public string? ListType { get; init; }

    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    public string? MapType { get; init; }

    /// <summary>allOf, anyOf, oneOf and not: validation only, they neither prune nor default.</summary>
    public IReadOnlyList<StructuralSchema> AllOf { get; init; } = [];

    public IReadOnlyList<StructuralSchema> AnyOf { get; init; } = [];

    public IReadOnlyList<StructuralSchema> OneOf { get; init; } = [];

    public StructuralSchema? Not { get; init; }

    /// <summary><c>x-kubernetes-validations</c> (CEL), evaluated by <see cref="ValidationRules"/>.</summary>
    public IReadOnlyList<V1ValidationRule> Validations { get; init; } = [];

    /// <summary>The types kube-openapi checks: <c>[integer, string]</c> for int-or-string, none for an empty type.</summary>
    internal IReadOnlyList<string> OpenApiTypes { get; init; } = [];

    /// <summary>The format kube-openapi sees after apiextensions strips the ones it does not support for the type.</summary>
    internal string ValidationFormat { get; init; } = "";

    internal Regex? PatternRegex { get; init; }

    /// <summary>Why <see cref="Pattern"/> does not compile, in Go's words where we know them.</summary>
    internal string? PatternError { get; init; }

    /// <summary>
    /// The structural schema of <paramref name="props"/>, as deserialized from a CRD with System.Text.Json (whose
    /// <c>object</c> members arrive as <see cref="JsonElement"/>) or built in code (<see cref="JsonNode"/> or
    /// <see cref="V1JSONSchemaProps"/> values). Defaults are pruned by their own schema.
    /// </summary>
    public static StructuralSchema From(V1JSONSchemaProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return Build(props, withDefaults: true);
    }

    private static StructuralSchema Build(V1JSONSchemaProps props, bool withDefaults)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        foreach (var (name, property) in props.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            properties[name] = Build(property, withDefaults);
        }

        var type = props.Type ?? "";
        var intOrString = props.XKubernetesIntOrString == true;
        IReadOnlyList<string> openApiTypes = intOrString ? ["integer", "string"] : type.Length > 0 ? [type] : [];
        var pattern = props.Pattern ?? "";
        string? patternError = null;
        var regex = pattern.Length == 0 ? null : GoRegex.TryCompile(pattern, out patternError);

        var schema = new StructuralSchema
        {
            Type = type,
            Properties = properties,
            Items = SchemaOf(props.Items) is { } items ? Build(items, withDefaults) : null,
            AdditionalProperties = AdditionalPropertiesOf(props.AdditionalProperties, withDefaults),
            Required = props.Required?.ToArray() ?? [],
            Enum = props.EnumProperty?.Select(NodeOf).ToArray(),
            Nullable = props.Nullable == true,
            Maximum = props.Maximum,
            ExclusiveMaximum = props.ExclusiveMaximum == true,
            Minimum = props.Minimum,
            ExclusiveMinimum = props.ExclusiveMinimum == true,
            MultipleOf = props.MultipleOf,
            MaxLength = props.MaxLength,
            MinLength = props.MinLength,
            Pattern = pattern,
            MaxItems = props.MaxItems,
            MinItems = props.MinItems,
            UniqueItems = props.UniqueItems == true,
            MaxProperties = props.MaxProperties,
            MinProperties = props.MinProperties,
            Format = props.Format ?? "",
            PreserveUnknownFields = props.XKubernetesPreserveUnknownFields == true,
            IntOrString = intOrString,
            EmbeddedResource = props.XKubernetesEmbeddedResource == true,
            ListType = props.XKubernetesListType,
            ListMapKeys = props.XKubernetesListMapKeys?.ToArray() ?? [],
            MapType = props.XKubernetesMapType,
            AllOf = props.AllOf?.Select(s => Build(s, withDefaults: false)).ToArray() ?? [],
            AnyOf = props.AnyOf?.Select(s => Build(s, withDefaults: false)).ToArray() ?? [],
            OneOf = props.OneOf?.Select(s => Build(s, withDefaults: false)).ToArray() ?? [],
            Not = props.Not is { } not ? Build(not, withDefaults: false) : null,
            Validations = props.XKubernetesValidations?.ToArray() ?? [],
            OpenApiTypes = openApiTypes,
            ValidationFormat = SupportedFormat(props.Format ?? "", openApiTypes),
            PatternRegex = regex,
            PatternError = patternError,
        };

        // customresource_handler.go prunes every default once, when it serves the CRD (defaulting.PruneDefaults).
        if (withDefaults && NodeOf(props.DefaultProperty) is { } defaultValue)
        {
            StructuralPruning.PruneValue(defaultValue, schema);
            schema = schema with { Default = defaultValue };
        }

        return schema;
    }

    /// <summary>apiextensions' <c>StripUnsupportedFormatsPostProcessorForVersion</c> (validation/formats.go).</summary>
    private static string SupportedFormat(string format, IReadOnlyList<string> types)
    {
        if (format.Length == 0)
        {
            return "";
        }

        var type = types.Count == 1 ? types[0] : "";
        return type switch
        {
            "" or "string" => StringFormats.IsSupported(format) ? format : "",
            "integer" => format is "int32" or "int64" ? format : "",
            "number" => format is "float" or "double" ? format : "",
            _ => "",
        };
    }

    private static SchemaOrBool? AdditionalPropertiesOf(object? value, bool withDefaults) => value switch
    {
        null => null,
        bool b => new SchemaOrBool(b, null),
        JsonElement { ValueKind: JsonValueKind.True } => new SchemaOrBool(true, null),
        JsonElement { ValueKind: JsonValueKind.False } => new SchemaOrBool(false, null),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new SchemaOrBool(v.GetValueKind() == JsonValueKind.True, null),
        _ => SchemaOf(value) is { } schema ? new SchemaOrBool(true, Build(schema, withDefaults)) : null,
    };

    /// <summary>A schema member typed <c>object</c> in the client model, whichever way it arrived.</summary>
    private static V1JSONSchemaProps? SchemaOf(object? value) => value switch
    {
        V1JSONSchemaProps props => props,
        JsonElement { ValueKind: JsonValueKind.Object } element => element.Deserialize<V1JSONSchemaProps>(KubernetesJsonOptions.Value),
        JsonObject node => node.Deserialize<V1JSONSchemaProps>(KubernetesJsonOptions.Value),
        // A list of schemas (tuple items) is not structural; apiextensions refuses it before a CRD is served.
        _ => null,
    };

    /// <summary>
    /// A JSON value member of the client model as a fresh node, null for JSON null or nothing. Its objects and arrays are
    /// filled in now, not on first read, so that concurrent requests can copy it.
    /// </summary>
    private static JsonNode? NodeOf(object? value) => Materialize(value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), KubernetesJsonOptions.Value),
    });

    private static JsonNode? Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }

                break;
        }

        return node;
    }
}
