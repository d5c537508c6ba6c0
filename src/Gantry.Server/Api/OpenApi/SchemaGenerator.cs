using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// Builds OpenAPI v3 component schemas from the model classes, in the shape the Kubernetes API server
/// publishes: object references wrapped in <c>allOf</c> so that a field keeps its own description, a
/// <c>x-kubernetes-group-version-kind</c> list on each kind, strategic-merge-patch extensions on the fields
/// that have them. The model classes mark no field as required, so no <c>required</c> lists are produced.
/// </summary>
internal sealed class SchemaGenerator(SchemaNames names, ModelDocumentation docs)
{
    public const string PatchSchemaName = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    /// <summary>A new component schema for <paramref name="type"/> (a model class, IntOrString or Quantity).</summary>
    public JsonObject Component(Type type)
    {
        if (type == typeof(IntOrString))
        {
            return new JsonObject
            {
                ["description"] = "IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML "
                    + "marshalling and unmarshalling, it produces or consumes the inner type.",
                ["format"] = "int-or-string",
                ["oneOf"] = new JsonArray(Typed("integer"), Typed("string")),
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new JsonObject
            {
                ["description"] = "Quantity is a fixed-point representation of a number, written as a string such as "
                    + "\"100m\", \"1.5Gi\" or \"2\", or as a plain JSON number.",
                ["oneOf"] = new JsonArray(Typed("string"), Typed("number")),
            };
        }

        var schema = new JsonObject();
        if (docs.Type(type) is { } description)
        {
            schema["description"] = description;
        }

        schema["type"] = "object";
        var properties = new JsonObject();
        foreach (var (property, jsonName) in ModelTypes.JsonProperties(type))
        {
            properties[jsonName] = Property(type, property, jsonName);
        }

        schema["properties"] = properties;
        if (ModelTypes.Entity(type) is { } entity)
        {
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(entity.Group ?? "", entity.ApiVersion, entity.Kind));
        }

        return schema;
    }

    /// <summary>The body schema of PATCH requests, whatever the patch type.</summary>
    public static JsonObject PatchComponent() => new()
    {
        ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
        ["type"] = "object",
    };

    /// <summary>A reference to the component schema of <paramref name="type"/>.</summary>
    public JsonObject Reference(Type type) => new() { ["$ref"] = ReferencePath(type) };

    /// <summary>The <c>$ref</c> path of the component schema of <paramref name="type"/>.</summary>
    public string ReferencePath(Type type) => SchemaNames.Reference(names.Of(type));

    /// <summary>The operation-level form of <c>x-kubernetes-group-version-kind</c> (one object, not a list).</summary>
    public static JsonObject Gvk(string group, string version, string kind) => new()
    {
        ["group"] = group,
        ["kind"] = kind,
        ["version"] = version,
    };

    private JsonObject Property(Type owner, PropertyInfo property, string jsonName)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = ValueSchema(type);
        if (schema.ContainsKey("$ref"))
        {
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        if (docs.Property(property) is { } description)
        {
            schema["description"] = description;
        }

        if (PatchStrategies.Find(owner, jsonName) is { } patch)
        {
            if (patch.MergeKey is not null)
            {
                schema["x-kubernetes-patch-merge-key"] = patch.MergeKey;
            }

            schema["x-kubernetes-patch-strategy"] = patch.Strategy;
        }

        return schema;
    }

    private JsonObject ValueSchema(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Typed("string");
        }

        if (type == typeof(bool))
        {
            return Typed("boolean");
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Typed("integer", "int32");
        }

        if (type == typeof(long))
        {
            return Typed("integer", "int64");
        }

        if (type == typeof(double) || type == typeof(decimal))
        {
            return Typed("number", "double");
        }

        if (type == typeof(float))
        {
            return Typed("number", "float");
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Typed("string", "date-time");
        }

        if (type == typeof(byte[]))
        {
            return Typed("string", "byte");
        }

        if (ModelTypes.ListElement(type) is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = ValueSchema(element) };
        }

        if (ModelTypes.DictionaryValue(type) is { } value)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ValueSchema(value) };
        }

        if (ModelTypes.IsModel(type) || type == typeof(IntOrString) || type == typeof(ResourceQuantity))
        {
            return Reference(type);
        }

        // Free-form JSON, such as managedFields[].fieldsV1.
        return Typed("object");
    }

    private static JsonObject Typed(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }
}
