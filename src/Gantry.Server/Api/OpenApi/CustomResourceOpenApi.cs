using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 documents of the custom resources' group versions, as kube-apiserver publishes a CRD's: the version's
/// schema as the kind's component (named after the reversed group, <c>com.example.stable.v1.CronTab</c>) with
/// <c>apiVersion</c>, <c>kind</c> and the ObjectMeta <c>metadata</c> added, its list, and the paths of every verb.
/// <c>kubectl explain</c> finds the kind through its <c>x-kubernetes-group-version-kind</c>; kubectl's apply reads from
/// the PATCH operations that a custom resource takes no strategic merge patch.
/// </summary>
internal static class CustomResourceOpenApi
{
    private static readonly ConditionalWeakTable<CustomResourceTypeSet, Dictionary<string, OpenApiV3Document>> Documents = [];

    /// <summary>The documents of the set's group versions, by their index path (<c>apis/stable.example.com/v1</c>).</summary>
    public static IReadOnlyDictionary<string, OpenApiV3Document> Of(CustomResourceTypeSet custom) =>
        Documents.GetValue(custom, set => set.Entries.Select(e => e.Served)
            .GroupBy(t => (t.Group, t.Version))
            .Select(g => Generate(g.Key.Group, g.Key.Version, g))
            .ToDictionary(d => d.Path, StringComparer.Ordinal));

    private static OpenApiV3Document Generate(string group, string version, IEnumerable<ResourceType> types)
    {
        var (schemas, names) = OpenApiV3Generator.ModelSchemas;
        var paths = new JsonObject();
        var operations = new OpenApiPaths(schemas);
        var components = new JsonObject();
        foreach (var type in types)
        {
            var kindSchema = SchemaName(type, type.Kind);
            var listSchema = SchemaName(type, type.ListKind);
            operations.AddCustom(paths, type, kindSchema, listSchema);
            components[kindSchema] = KindComponent(type, schemas);
            components[listSchema] = ListComponent(type, kindSchema, schemas);
        }

        OpenApiV3Generator.AddModelComponents(components, operations.Referenced.Append(typeof(V1ObjectMeta)).Append(typeof(V1ListMeta)), schemas, names);
        return OpenApiV3Generator.Document(group, version, paths, components);
    }

    /// <summary>Kube's name of a custom kind's schema: the group's labels reversed, the version, the kind.</summary>
    public static string SchemaName(ResourceType type, string kind) =>
        $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{kind}";

    private static JsonObject KindComponent(ResourceType type, SchemaGenerator schemas)
    {
        var schema = type.Custom!.Version.Schema?.OpenAPIV3Schema is { } given
            ? JsonSerializer.SerializeToNode(given, KubernetesJsonOptions.Value)!.AsObject()
            : new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var properties = schema["properties"] as JsonObject ?? [];
        properties["apiVersion"] = TypeMeta("APIVersion defines the versioned schema of this representation of an object.");
        properties["kind"] = TypeMeta("Kind is a string value representing the REST resource this object represents.");
        properties["metadata"] = schemas.Reference(typeof(V1ObjectMeta));
        schema["properties"] = properties;
        schema["x-kubernetes-group-version-kind"] = new JsonArray(SchemaGenerator.Gvk(type.Group, type.Version, type.Kind));
        return schema;
    }

    private static JsonObject ListComponent(ResourceType type, string kindSchema, SchemaGenerator schemas) => new()
    {
        ["description"] = $"{type.ListKind} is a list of {type.Kind}",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = TypeMeta("APIVersion defines the versioned schema of this representation of an object."),
            ["items"] = new JsonObject
            {
                ["description"] = $"List of {type.Plural.ToLowerInvariant()}.",
                ["type"] = "array",
                ["items"] = new JsonObject { ["$ref"] = SchemaNames.Reference(kindSchema) },
            },
            ["kind"] = TypeMeta("Kind is a string value representing the REST resource this object represents."),
            ["metadata"] = schemas.Reference(typeof(V1ListMeta)),
        },
        ["x-kubernetes-group-version-kind"] = new JsonArray(SchemaGenerator.Gvk(type.Group, type.Version, type.ListKind)),
    };

    private static JsonObject TypeMeta(string description) => new() { ["description"] = description, ["type"] = "string" };
}
