using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Discovery;

namespace Gantry.Server.Api.OpenApi;

/// <summary>Generates the OpenAPI v3 document of every served group version from the resource catalog.</summary>
internal static class OpenApiV3Generator
{
    // Descriptions are full of quotes and angle brackets; escaping them all would only bloat the documents.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Lazy<(SchemaGenerator Schemas, SchemaNames Names)> Models = new(() =>
    {
        var kindTypes = ResourceCatalog.ServedTypes.Select(t => t.ModelType).ToList();
        var names = new SchemaNames(kindTypes.Concat(RootsBeyondKinds()));
        var docs = ModelDocumentation.Load(typeof(k8s.Models.V1Pod).Assembly,
            ModelTypes.Closure(kindTypes.Concat(RootsBeyondKinds())).ToHashSet());
        return (new SchemaGenerator(names, docs), names);
    });

    /// <summary>The schemas of the model classes, named as Kubernetes names them (read once).</summary>
    public static (SchemaGenerator Schemas, SchemaNames Names) ModelSchemas => Models.Value;

    public static IReadOnlyList<OpenApiV3Document> GenerateAll()
    {
        var (schemas, names) = ModelSchemas;
        return ResourceCatalog.GroupVersions
            .Select(gv => Generate(gv.Group, gv.Version, schemas, names))
            .ToList();
    }

    /// <summary>Lists and subresource kinds (Scale, Eviction, Binding), named after the kinds themselves.</summary>
    private static IEnumerable<Type> RootsBeyondKinds()
    {
        foreach (var type in ResourceCatalog.ServedTypes)
        {
            if (ModelTypes.FindKind(type.Group, type.Version, type.ListKind) is { } list)
            {
                yield return list;
            }

            foreach (var subresource in type.Subresources)
            {
                if (ModelTypes.FindKind(subresource.Group, subresource.Version, subresource.Kind) is { } model)
                {
                    yield return model;
                }
            }
        }

        yield return typeof(k8s.Models.V1Status);
        yield return typeof(k8s.Models.V1DeleteOptions);
    }

    private static OpenApiV3Document Generate(string group, string version, SchemaGenerator schemas, SchemaNames names)
    {
        var paths = new JsonObject();
        var operations = new OpenApiPaths(schemas);
        foreach (var type in ResourceCatalog.ServedTypes.Where(t => t.Group == group && t.Version == version))
        {
            operations.Add(paths, type);
        }

        var components = new JsonObject();
        AddModelComponents(components, operations.Referenced, schemas, names);
        return Document(group, version, paths, components);
    }

    /// <summary>The schemas of <paramref name="referenced"/> and of every model they refer to, and the patch body's.</summary>
    public static void AddModelComponents(JsonObject components, IEnumerable<Type> referenced, SchemaGenerator schemas, SchemaNames names)
    {
        foreach (var type in ModelTypes.Closure(referenced.OrderBy(t => names.Of(t), StringComparer.Ordinal)))
        {
            components[names.Of(type)] = schemas.Component(type);
        }

        components[SchemaGenerator.PatchSchemaName] = SchemaGenerator.PatchComponent();
    }

    /// <summary>A group version's document, with the hash its index entry carries.</summary>
    public static OpenApiV3Document Document(string group, string version, JsonObject paths, JsonObject components)
    {
        var document = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = components },
        };

        var body = JsonSerializer.SerializeToUtf8Bytes(document, Options);
        var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
        return new OpenApiV3Document(path, body, Convert.ToHexString(SHA512.HashData(body)));
    }
}
