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

    public static IReadOnlyList<OpenApiV3Document> GenerateAll()
    {
        var kindTypes = ResourceCatalog.ServedTypes.Select(t => t.ModelType).ToList();
        var names = new SchemaNames(kindTypes.Concat(RootsBeyondKinds()));
        var docs = ModelDocumentation.Load(typeof(k8s.Models.V1Pod).Assembly,
            ModelTypes.Closure(kindTypes.Concat(RootsBeyondKinds())).ToHashSet());
        var schemas = new SchemaGenerator(names, docs);

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
        foreach (var type in ModelTypes.Closure(operations.Referenced.OrderBy(t => names.Of(t), StringComparer.Ordinal)))
        {
            components[names.Of(type)] = schemas.Component(type);
        }

        components[SchemaGenerator.PatchSchemaName] = SchemaGenerator.PatchComponent();

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
