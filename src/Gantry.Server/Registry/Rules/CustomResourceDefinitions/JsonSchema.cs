using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>
/// A CRD's OpenAPI v3 schema as kube's internal <c>apiextensions.JSONSchemaProps</c> holds it: the members the client
/// model types as <c>object</c> (<c>items</c>, <c>additionalProperties</c>, <c>additionalItems</c>,
/// <c>dependencies</c>), which arrive as <see cref="JsonElement"/>, resolved once into schemas, arrays and booleans,
/// and properties in ordinal key order so that errors come out in a stable order.
/// </summary>
internal sealed class JsonSchema
{
    /// <summary>Go's field names of <c>JSONSchemaProps</c> in declaration order, as kube's root-of-schema check walks them.</summary>
    public static readonly string[] GoFieldOrder =
    [
        "ID", "Schema", "Ref", "Description", "Type", "Nullable", "Format", "Title", "Default", "Maximum", "ExclusiveMaximum",
        "Minimum", "ExclusiveMinimum", "MaxLength", "MinLength", "Pattern", "MaxItems", "MinItems", "UniqueItems", "MultipleOf",
        "Enum", "MaxProperties", "MinProperties", "Required", "Items", "AllOf", "OneOf", "AnyOf", "Not", "Properties",
        "AdditionalProperties", "PatternProperties", "Dependencies", "AdditionalItems", "Definitions", "ExternalDocs", "Example",
        "XPreserveUnknownFields", "XEmbeddedResource", "XIntOrString", "XListMapKeys", "XListType", "XMapType", "XValidations",
    ];

    private JsonSchema(V1JSONSchemaProps props)
    {
        Source = props;
        Items = ItemsOf(props.Items);
        AllOf = props.AllOf?.Select(From).ToList();
        OneOf = props.OneOf?.Select(From).ToList();
        AnyOf = props.AnyOf?.Select(From).ToList();
        Not = props.Not is null ? null : From(props.Not);
        Properties = Sorted(props.Properties);
        PatternProperties = Sorted(props.PatternProperties);
        Definitions = Sorted(props.Definitions);
        AdditionalProperties = OrBool(props.AdditionalProperties);
        AdditionalItems = OrBool(props.AdditionalItems);
        Dependencies = props.Dependencies?.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, AsSchema(p.Value) is { } schema ? From(schema) : null)).ToList();
    }

    /// <summary>The client model this was read from, for the scalar members.</summary>
    public V1JSONSchemaProps Source { get; }

    public string Id => Source.Id ?? "";

    public string SchemaUri => Source.Schema ?? "";

    public string? Ref => Source.RefProperty;

    public string Type => Source.Type ?? "";

    public string Title => Source.Title ?? "";

    public string Description => Source.Description ?? "";

    public string Pattern => Source.Pattern ?? "";

    public bool Nullable => Source.Nullable == true;

    public bool UniqueItems => Source.UniqueItems == true;

    public bool HasDefault => IsSet(Source.DefaultProperty);

    public bool? XPreserveUnknownFields => Source.XKubernetesPreserveUnknownFields;

    public bool PreservesUnknownFields => Source.XKubernetesPreserveUnknownFields == true;

    public bool XEmbeddedResource => Source.XKubernetesEmbeddedResource == true;

    public bool XIntOrString => Source.XKubernetesIntOrString == true;

    public IList<string>? XListMapKeys => Source.XKubernetesListMapKeys;

    public string? XListType => Source.XKubernetesListType;

    public string? XMapType => Source.XKubernetesMapType;

    public IList<V1ValidationRule>? XValidations => Source.XKubernetesValidations;

    public IList<string>? Required => Source.Required;

    public JsonSchemaItems? Items { get; }

    public IReadOnlyList<JsonSchema>? AllOf { get; }

    public IReadOnlyList<JsonSchema>? OneOf { get; }

    public IReadOnlyList<JsonSchema>? AnyOf { get; }

    public JsonSchema? Not { get; }

    public IReadOnlyList<KeyValuePair<string, JsonSchema>>? Properties { get; }

    public IReadOnlyList<KeyValuePair<string, JsonSchema>>? PatternProperties { get; }

    public IReadOnlyList<KeyValuePair<string, JsonSchema>>? Definitions { get; }

    public JsonSchemaOrBool? AdditionalProperties { get; }

    public JsonSchemaOrBool? AdditionalItems { get; }

    /// <summary>Each dependency with its schema, or null where it is a list of property names.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonSchema?>>? Dependencies { get; }

    public static JsonSchema From(V1JSONSchemaProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return new JsonSchema(props);
    }

    public JsonSchema? Property(string name) => Properties?.FirstOrDefault(p => p.Key == name).Value;

    public bool HasProperty(string name) => Properties?.Any(p => p.Key == name) == true;

    /// <summary>
    /// The Go field names of the members that are set, in declaration order: what Go's <c>reflect</c> sees as not
    /// the zero value (a present but empty list counts as set, as a non-nil Go slice does).
    /// </summary>
    public IEnumerable<string> SetMembers()
    {
        var s = Source;
        foreach (var name in GoFieldOrder)
        {
            var set = name switch
            {
                "ID" => Id.Length > 0,
                "Schema" => SchemaUri.Length > 0,
                "Ref" => s.RefProperty is not null,
                "Description" => Description.Length > 0,
                "Type" => Type.Length > 0,
                "Nullable" => Nullable,
                "Format" => !string.IsNullOrEmpty(s.Format),
                "Title" => Title.Length > 0,
                "Default" => HasDefault,
                "Maximum" => s.Maximum is not null,
                "ExclusiveMaximum" => s.ExclusiveMaximum == true,
                "Minimum" => s.Minimum is not null,
                "ExclusiveMinimum" => s.ExclusiveMinimum == true,
                "MaxLength" => s.MaxLength is not null,
                "MinLength" => s.MinLength is not null,
                "Pattern" => Pattern.Length > 0,
                "MaxItems" => s.MaxItems is not null,
                "MinItems" => s.MinItems is not null,
                "UniqueItems" => UniqueItems,
                "MultipleOf" => s.MultipleOf is not null,
                "Enum" => s.EnumProperty is not null,
                "MaxProperties" => s.MaxProperties is not null,
                "MinProperties" => s.MinProperties is not null,
                "Required" => s.Required is not null,
                "Items" => Items is not null,
                "AllOf" => AllOf is not null,
                "OneOf" => OneOf is not null,
                "AnyOf" => AnyOf is not null,
                "Not" => Not is not null,
                "Properties" => Properties is not null,
                "AdditionalProperties" => AdditionalProperties is not null,
                "PatternProperties" => PatternProperties is not null,
                "Dependencies" => Dependencies is not null,
                "AdditionalItems" => AdditionalItems is not null,
                "Definitions" => Definitions is not null,
                "ExternalDocs" => s.ExternalDocs is not null,
                "Example" => IsSet(s.Example),
                "XPreserveUnknownFields" => XPreserveUnknownFields is not null,
                "XEmbeddedResource" => XEmbeddedResource,
                "XIntOrString" => XIntOrString,
                "XListMapKeys" => XListMapKeys is not null,
                "XListType" => XListType is not null,
                "XMapType" => XMapType is not null,
                "XValidations" => XValidations is not null,
                _ => false,
            };
            if (set)
            {
                yield return name;
            }
        }
    }

    /// <summary>Whether anything in this schema or below it (through every member that holds schemas) satisfies <paramref name="predicate"/>, as kube's <c>SchemaHas</c>.</summary>
    public bool Has(Func<JsonSchema, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return predicate(this)
            || Items?.Schema?.Has(predicate) == true
            || Items?.Schemas?.Any(s => s.Has(predicate)) == true
            || AllOf?.Any(s => s.Has(predicate)) == true
            || AnyOf?.Any(s => s.Has(predicate)) == true
            || OneOf?.Any(s => s.Has(predicate)) == true
            || Not?.Has(predicate) == true
            || Properties?.Any(p => p.Value.Has(predicate)) == true
            || AdditionalProperties?.Schema?.Has(predicate) == true
            || PatternProperties?.Any(p => p.Value.Has(predicate)) == true
            || AdditionalItems?.Schema?.Has(predicate) == true
            || Definitions?.Any(p => p.Value.Has(predicate)) == true
            || Dependencies?.Any(p => p.Value?.Has(predicate) == true) == true;
    }

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => false,
        _ => true,
    };

    private static List<KeyValuePair<string, JsonSchema>>? Sorted(IDictionary<string, V1JSONSchemaProps>? map) =>
        map?.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, From(p.Value ?? new V1JSONSchemaProps()))).ToList();

    private static JsonSchemaItems? ItemsOf(object? value)
    {
        switch (value)
        {
            case null:
            case JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return null;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return new JsonSchemaItems(null, array.EnumerateArray().Select(e => From(AsSchema(e) ?? new V1JSONSchemaProps())).ToList());
            case JsonArray array:
                return new JsonSchemaItems(null, array.Select(e => From(AsSchema(e) ?? new V1JSONSchemaProps())).ToList());
            case IEnumerable<V1JSONSchemaProps> list:
                return new JsonSchemaItems(null, list.Select(From).ToList());
            default:
                return AsSchema(value) is { } schema ? new JsonSchemaItems(From(schema), null) : null;
        }
    }

    private static JsonSchemaOrBool? OrBool(object? value) => value switch
    {
        null or JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        bool allows => new JsonSchemaOrBool(allows, null),
        JsonElement { ValueKind: JsonValueKind.True } => new JsonSchemaOrBool(true, null),
        JsonElement { ValueKind: JsonValueKind.False } => new JsonSchemaOrBool(false, null),
        JsonValue node when node.TryGetValue<bool>(out var allows) => new JsonSchemaOrBool(allows, null),
        _ => AsSchema(value) is { } schema ? new JsonSchemaOrBool(true, From(schema)) : null,
    };

    /// <summary>A schema held in an <c>object</c>-typed member, or null where it holds something else.</summary>
    private static V1JSONSchemaProps? AsSchema(object? value) => value switch
    {
        V1JSONSchemaProps props => props,
        JsonElement { ValueKind: JsonValueKind.Object } element => KubernetesJson.Deserialize<V1JSONSchemaProps>(element.GetRawText()),
        JsonObject node => KubernetesJson.Deserialize<V1JSONSchemaProps>(node.ToJsonString()),
        _ => null,
    };
}
