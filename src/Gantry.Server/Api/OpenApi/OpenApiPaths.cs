using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The REST paths of the served resources, one OpenAPI operation per verb. Every operation carries
/// <c>x-kubernetes-group-version-kind</c> and <c>x-kubernetes-action</c>; kubectl explain finds a resource's
/// kind through them, and kubectl's validation checks the PATCH operations for <c>fieldValidation</c> and
/// for a strategic-merge-patch request body.
/// </summary>
internal sealed class OpenApiPaths(SchemaGenerator schemas)
{
    private static readonly string[] PatchContentTypes =
    [
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
        "application/apply-patch+yaml",
    ];

    // Custom resources take no strategic merge patch; kubectl reads this list to choose a JSON merge patch for them.
    private static readonly string[] CustomPatchContentTypes =
        [.. PatchContentTypes.Where(t => t != "application/strategic-merge-patch+json")];

    private readonly HashSet<Type> _referenced = [typeof(V1Status), typeof(V1DeleteOptions)];

    /// <summary>The model classes the operations refer to; the document's components must include them.</summary>
    public IReadOnlySet<Type> Referenced => _referenced;

    public void Add(JsonObject paths, ResourceType type)
    {
        var listType = ModelTypes.FindKind(type.Group, type.Version, type.ListKind)
            ?? throw new InvalidOperationException($"No model class for {type.ApiVersion} {type.ListKind}.");
        _referenced.Add(type.ModelType);
        _referenced.Add(listType);
        var item = AddResource(paths, type, schemas.ReferencePath(type.ModelType), schemas.ReferencePath(listType), PatchContentTypes);
        foreach (var subresource in type.Subresources)
        {
            AddSubresource(paths, type, subresource, item, $"{OperationIdPrefix(type)}{Scope(type)}{type.Kind}", PatchContentTypes);
        }
    }

    /// <summary>
    /// The paths of a custom resource, whose object and list schemas are the document's own components (named
    /// <paramref name="kindSchema"/> and <paramref name="listSchema"/>), with its status subresource if it has one.
    /// </summary>
    public void AddCustom(JsonObject paths, ResourceType type, string kindSchema, string listSchema)
    {
        var kindReference = SchemaNames.Reference(kindSchema);
        var item = AddResource(paths, type, kindReference, SchemaNames.Reference(listSchema), CustomPatchContentTypes);
        if (type.HasSubresource("status"))
        {
            var kind = new Kind(type.Group, type.Version, type.Kind);
            var idStem = $"{OperationIdPrefix(type)}{Scope(type)}{type.Kind}Status";
            var what = $"status of the specified {type.Kind}";
            paths[$"{item}/status"] = new JsonObject
            {
                ["get"] = Operation("get", $"read{idStem}", $"read {what}", kind, type, named: true, OpenApiParameters.Read, null, Ok(kindReference)),
                ["put"] = Operation("put", $"replace{idStem}", $"replace {what}", kind, type, named: true, OpenApiParameters.Write,
                    JsonBody(kindReference), Written(kindReference, accepted: false)),
                ["patch"] = Operation("patch", $"patch{idStem}", $"partially update {what}", kind, type, named: true, OpenApiParameters.Patch,
                    PatchBody(CustomPatchContentTypes), Written(kindReference, accepted: false)),
            };
        }

        foreach (var scale in type.Subresources.Where(s => s.Name == "scale"))
        {
            AddSubresource(paths, type, scale, item, $"{OperationIdPrefix(type)}{Scope(type)}{type.Kind}", CustomPatchContentTypes);
        }
    }

    /// <summary>The collection, item and all-namespaces paths of a resource; returns the item's path.</summary>
    private string AddResource(JsonObject paths, ResourceType type, string kindReference, string listReference, string[] patchTypes)
    {
        var kind = new Kind(type.Group, type.Version, type.Kind);
        var id = OperationIdPrefix(type);
        var scope = Scope(type);
        var collection = type.Namespaced
            ? $"{type.GroupVersionPath}/namespaces/{{namespace}}/{type.Plural}"
            : $"{type.GroupVersionPath}/{type.Plural}";
        var item = collection + "/{name}";

        paths[collection] = new JsonObject
        {
            ["get"] = Operation("list", $"list{id}{scope}{type.Kind}", $"list or watch objects of kind {type.Kind}", kind,
                type, named: false, OpenApiParameters.List, null, Ok(listReference)),
            ["post"] = Operation("post", $"create{id}{scope}{type.Kind}", $"create a {type.Kind}", kind,
                type, named: false, OpenApiParameters.Write, JsonBody(kindReference), Written(kindReference, accepted: true)),
            ["delete"] = Operation("deletecollection", $"delete{id}Collection{scope}{type.Kind}",
                $"delete collection of {type.Kind}", kind, type, named: false, OpenApiParameters.DeleteCollection,
                DeleteBody(), Ok(StatusReference)),
        };

        paths[item] = new JsonObject
        {
            ["get"] = Operation("get", $"read{id}{scope}{type.Kind}", $"read the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Read, null, Ok(kindReference)),
            ["put"] = Operation("put", $"replace{id}{scope}{type.Kind}", $"replace the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Write, JsonBody(kindReference), Written(kindReference, accepted: false)),
            ["patch"] = Operation("patch", $"patch{id}{scope}{type.Kind}", $"partially update the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Patch, PatchBody(patchTypes), Written(kindReference, accepted: false)),
            ["delete"] = Operation("delete", $"delete{id}{scope}{type.Kind}", $"delete a {type.Kind}", kind,
                type, named: true, OpenApiParameters.Delete, DeleteBody(), Deleted(kindReference)),
        };

        if (type.Namespaced)
        {
            // Listing across all namespaces: the same kind, addressed without a namespace parameter.
            paths[$"{type.GroupVersionPath}/{type.Plural}"] = new JsonObject
            {
                ["get"] = Operation("list", $"list{id}{type.Kind}ForAllNamespaces", $"list or watch objects of kind {type.Kind}",
                    kind, type with { Namespaced = false }, named: false, OpenApiParameters.List, null, Ok(listReference)),
            };
        }

        return item;
    }

    private static string Scope(ResourceType type) => type.Namespaced ? "Namespaced" : "";

    private string StatusReference => schemas.ReferencePath(typeof(V1Status));

    /// <summary>
    /// Subresources that exchange API objects (status, scale, binding, eviction, finalize). Streaming ones
    /// (log, exec, attach, portforward) have no object body to describe and are left out.
    /// </summary>
    private void AddSubresource(JsonObject paths, ResourceType type, Subresource subresource, string item, string idStem, string[] patchTypes)
    {
        if (subresource.Name == "log" || subresource.Kind.EndsWith("Options", StringComparison.Ordinal)
            || ModelTypes.FindKind(subresource.Group, subresource.Version, subresource.Kind) is not { } model)
        {
            return;
        }

        _referenced.Add(model);
        var reference = schemas.ReferencePath(model);
        var kind = new Kind(subresource.Group, subresource.Version, subresource.Kind);
        var suffix = char.ToUpperInvariant(subresource.Name[0]) + subresource.Name[1..];
        var what = $"{subresource.Name} of the specified {type.Kind}";
        var operations = new JsonObject();
        foreach (var verb in subresource.Verbs)
        {
            var (method, operation) = verb switch
            {
                "get" => ("get", Operation("get", $"read{idStem}{suffix}", $"read {what}", kind, type, named: true,
                    OpenApiParameters.Read, null, Ok(reference))),
                "update" => ("put", Operation("put", $"replace{idStem}{suffix}", $"replace {what}", kind, type, named: true,
                    OpenApiParameters.Write, JsonBody(reference), Written(reference, accepted: false))),
                "patch" => ("patch", Operation("patch", $"patch{idStem}{suffix}", $"partially update {what}", kind, type,
                    named: true, OpenApiParameters.Patch, PatchBody(patchTypes), Written(reference, accepted: false))),
                "create" => ("post", Operation("post", $"create{idStem}{suffix}", $"create {what}", kind, type, named: true,
                    OpenApiParameters.Write, JsonBody(reference), Written(reference, accepted: true))),
                _ => (null, null),
            };
            if (method is not null)
            {
                operations[method] = operation;
            }
        }

        paths[$"{item}/{subresource.Name}"] = operations;
    }

    private static JsonObject Operation(
        string action,
        string operationId,
        string description,
        Kind kind,
        ResourceType type,
        bool named,
        IEnumerable<string> query,
        JsonObject? requestBody,
        JsonObject responses)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(OpenApiParameters.PathParameter("name", $"name of the {type.Kind}"));
        }

        if (type.Namespaced)
        {
            parameters.Add(OpenApiParameters.PathParameter("namespace", "object name and auth scope, such as for teams and projects"));
        }

        foreach (var name in query)
        {
            parameters.Add(OpenApiParameters.QueryParameter(name));
        }

        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = operationId,
            ["parameters"] = parameters,
        };
        if (requestBody is not null)
        {
            operation["requestBody"] = requestBody;
        }

        operation["responses"] = responses;
        operation["x-kubernetes-action"] = action;
        operation["x-kubernetes-group-version-kind"] = SchemaGenerator.Gvk(kind.Group, kind.Version, kind.Name);
        return operation;
    }

    private static JsonObject JsonBody(string reference) => new()
    {
        ["required"] = true,
        ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = Ref(reference) } },
    };

    private static JsonObject PatchBody(string[] contentTypes)
    {
        var content = new JsonObject();
        foreach (var contentType in contentTypes)
        {
            content[contentType] = new JsonObject { ["schema"] = Ref(SchemaNames.Reference(SchemaGenerator.PatchSchemaName)) };
        }

        return new JsonObject { ["required"] = true, ["content"] = content };
    }

    private JsonObject DeleteBody() => new()
    {
        ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = Ref(schemas.ReferencePath(typeof(V1DeleteOptions))) } },
    };

    private static JsonObject Ok(string reference) => Responses(("200", "OK", reference));

    private static JsonObject Written(string reference, bool accepted) => accepted
        ? Responses(("200", "OK", reference), ("201", "Created", reference), ("202", "Accepted", reference))
        : Responses(("200", "OK", reference), ("201", "Created", reference));

    private static JsonObject Deleted(string reference) => Responses(("200", "OK", reference), ("202", "Accepted", reference));

    private static JsonObject Responses(params (string Code, string Description, string Reference)[] responses)
    {
        var result = new JsonObject();
        foreach (var (code, description, reference) in responses)
        {
            result[code] = new JsonObject
            {
                ["description"] = description,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(reference) } },
            };
        }

        result["401"] = new JsonObject { ["description"] = "Unauthorized" };
        return result;
    }

    private static JsonObject Ref(string reference) => new() { ["$ref"] = reference };

    /// <summary>The group-version stem of operation ids, as Kubernetes forms them: CoreV1, AppsV1, CoordinationV1.</summary>
    private static string OperationIdPrefix(ResourceType type)
    {
        var group = type.Group.Length == 0 ? "core" : type.Group.Replace(".k8s.io", "", StringComparison.Ordinal);
        var words = group.Split('.').Append(type.Version);
        return string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private sealed record Kind(string Group, string Version, string Name);
}
