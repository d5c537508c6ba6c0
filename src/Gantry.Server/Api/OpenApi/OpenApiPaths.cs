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

    private readonly HashSet<Type> _referenced = [typeof(V1Status), typeof(V1DeleteOptions)];

    /// <summary>The model classes the operations refer to; the document's components must include them.</summary>
    public IReadOnlySet<Type> Referenced => _referenced;

    public void Add(JsonObject paths, ResourceType type)
    {
        var listType = ModelTypes.FindKind(type.Group, type.Version, type.ListKind)
            ?? throw new InvalidOperationException($"No model class for {type.ApiVersion} {type.ListKind}.");
        _referenced.Add(type.ModelType);
        _referenced.Add(listType);

        var kind = new Kind(type.Group, type.Version, type.Kind);
        var id = OperationIdPrefix(type);
        var scope = type.Namespaced ? "Namespaced" : "";
        var collection = type.Namespaced
            ? $"{type.GroupVersionPath}/namespaces/{{namespace}}/{type.Plural}"
            : $"{type.GroupVersionPath}/{type.Plural}";
        var item = collection + "/{name}";

        paths[collection] = new JsonObject
        {
            ["get"] = Operation("list", $"list{id}{scope}{type.Kind}", $"list or watch objects of kind {type.Kind}", kind,
                type, named: false, OpenApiParameters.List, null, Ok(listType)),
            ["post"] = Operation("post", $"create{id}{scope}{type.Kind}", $"create a {type.Kind}", kind,
                type, named: false, OpenApiParameters.Write, JsonBody(type.ModelType), Written(type.ModelType, accepted: true)),
            ["delete"] = Operation("deletecollection", $"delete{id}Collection{scope}{type.Kind}",
                $"delete collection of {type.Kind}", kind, type, named: false, OpenApiParameters.DeleteCollection,
                DeleteBody(), Ok(typeof(V1Status))),
        };

        paths[item] = new JsonObject
        {
            ["get"] = Operation("get", $"read{id}{scope}{type.Kind}", $"read the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Read, null, Ok(type.ModelType)),
            ["put"] = Operation("put", $"replace{id}{scope}{type.Kind}", $"replace the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Write, JsonBody(type.ModelType), Written(type.ModelType, accepted: false)),
            ["patch"] = Operation("patch", $"patch{id}{scope}{type.Kind}", $"partially update the specified {type.Kind}", kind,
                type, named: true, OpenApiParameters.Patch, PatchBody(), Written(type.ModelType, accepted: false)),
            ["delete"] = Operation("delete", $"delete{id}{scope}{type.Kind}", $"delete a {type.Kind}", kind,
                type, named: true, OpenApiParameters.Delete, DeleteBody(), Deleted(type.ModelType)),
        };

        if (type.Namespaced)
        {
            // Listing across all namespaces: the same kind, addressed without a namespace parameter.
            paths[$"{type.GroupVersionPath}/{type.Plural}"] = new JsonObject
            {
                ["get"] = Operation("list", $"list{id}{type.Kind}ForAllNamespaces", $"list or watch objects of kind {type.Kind}",
                    kind, type with { Namespaced = false }, named: false, OpenApiParameters.List, null, Ok(listType)),
            };
        }

        foreach (var subresource in type.Subresources)
        {
            AddSubresource(paths, type, subresource, item, $"{id}{scope}{type.Kind}");
        }
    }

    /// <summary>
    /// Subresources that exchange API objects (status, scale, binding, eviction, finalize). Streaming ones
    /// (log, exec, attach, portforward) have no object body to describe and are left out.
    /// </summary>
    private void AddSubresource(JsonObject paths, ResourceType type, Subresource subresource, string item, string idStem)
    {
        if (subresource.Name == "log" || subresource.Kind.EndsWith("Options", StringComparison.Ordinal)
            || ModelTypes.FindKind(subresource.Group, subresource.Version, subresource.Kind) is not { } model)
        {
            return;
        }

        _referenced.Add(model);
        var kind = new Kind(subresource.Group, subresource.Version, subresource.Kind);
        var suffix = char.ToUpperInvariant(subresource.Name[0]) + subresource.Name[1..];
        var what = $"{subresource.Name} of the specified {type.Kind}";
        var operations = new JsonObject();
        foreach (var verb in subresource.Verbs)
        {
            var (method, operation) = verb switch
            {
                "get" => ("get", Operation("get", $"read{idStem}{suffix}", $"read {what}", kind, type, named: true,
                    OpenApiParameters.Read, null, Ok(model))),
                "update" => ("put", Operation("put", $"replace{idStem}{suffix}", $"replace {what}", kind, type, named: true,
                    OpenApiParameters.Write, JsonBody(model), Written(model, accepted: false))),
                "patch" => ("patch", Operation("patch", $"patch{idStem}{suffix}", $"partially update {what}", kind, type,
                    named: true, OpenApiParameters.Patch, PatchBody(), Written(model, accepted: false))),
                "create" => ("post", Operation("post", $"create{idStem}{suffix}", $"create {what}", kind, type, named: true,
                    OpenApiParameters.Write, JsonBody(model), Written(model, accepted: true))),
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

    private JsonObject JsonBody(Type model) => new()
    {
        ["required"] = true,
        ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = schemas.Reference(model) } },
    };

    private static JsonObject PatchBody()
    {
        var content = new JsonObject();
        foreach (var contentType in PatchContentTypes)
        {
            content[contentType] = new JsonObject
            {
                ["schema"] = new JsonObject { ["$ref"] = SchemaNames.Reference(SchemaGenerator.PatchSchemaName) },
            };
        }

        return new JsonObject { ["required"] = true, ["content"] = content };
    }

    private JsonObject DeleteBody() => new()
    {
        ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = schemas.Reference(typeof(V1DeleteOptions)) } },
    };

    private JsonObject Ok(Type model) => Responses(("200", "OK", model));

    private JsonObject Written(Type model, bool accepted) => accepted
        ? Responses(("200", "OK", model), ("201", "Created", model), ("202", "Accepted", model))
        : Responses(("200", "OK", model), ("201", "Created", model));

    private JsonObject Deleted(Type model) => Responses(("200", "OK", model), ("202", "Accepted", model));

    private JsonObject Responses(params (string Code, string Description, Type Model)[] responses)
    {
        var result = new JsonObject();
        foreach (var (code, description, model) in responses)
        {
            result[code] = new JsonObject
            {
                ["description"] = description,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Reference(model) } },
            };
        }

        result["401"] = new JsonObject { ["description"] = "Unauthorized" };
        return result;
    }

    /// <summary>The group-version stem of operation ids, as Kubernetes forms them: CoreV1, AppsV1, CoordinationV1.</summary>
    private static string OperationIdPrefix(ResourceType type)
    {
        var group = type.Group.Length == 0 ? "core" : type.Group.Replace(".k8s.io", "", StringComparison.Ordinal);
        var words = group.Split('.').Append(type.Version);
        return string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private sealed record Kind(string Group, string Version, string Name);
}
