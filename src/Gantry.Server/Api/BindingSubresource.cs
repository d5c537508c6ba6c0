using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// <c>pods/{name}/binding</c>: a scheduler assigns a pod to a node. A pod is bound once; binding it
/// again is a conflict, as in Kubernetes.
/// </summary>
public sealed class BindingSubresource(ObjectRegistry registry, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        var binding = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var node = binding["target"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(node))
        {
            throw ApiException.Invalid(path.Type, path.Name!, [new(Core.Validation.FieldErrorType.Required, "target.name", "")]);
        }

        var options = QueryOptions.Write(context);
        await registry.MutateAsync(
            path.Type,
            path.Namespace,
            path.Name!,
            pod => Bind(pod, node, path),
            null,
            "binding",
            options,
            context.RequestAborted).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        }).ConfigureAwait(false);
    }

    private JsonObject Bind(JsonObject pod, string node, ResourcePath path)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        var assigned = spec["nodeName"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(assigned))
        {
            throw ApiException.Conflict(path.Type, path.Name!, $"pod {path.Name} is already assigned to node \"{assigned}\"");
        }

        if (ObjectMetadata.IsDeleting(pod))
        {
            throw ApiException.Conflict(path.Type, path.Name!, "pod is being deleted, cannot be assigned to a host");
        }

        spec["nodeName"] = node;
        var status = pod["status"] as JsonObject ?? [];
        var conditions = status["conditions"] as JsonArray ?? [];
        foreach (var existing in conditions.Where(c => c?["type"]?.GetValue<string>() == "PodScheduled").ToList())
        {
            conditions.Remove(existing);
        }

        conditions.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = ObjectMetadata.Timestamp(time.GetUtcNow()),
        });
        status["conditions"] = conditions;
        pod["status"] = status;
        return pod;
    }
}
