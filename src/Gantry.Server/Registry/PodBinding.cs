using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;

namespace Gantry.Server.Registry;

/// <summary>
/// What binding a pod to a node does to it, for <c>pods/{name}/binding</c> and the in-process
/// scheduler alike: sets <c>spec.nodeName</c> and the <c>PodScheduled=True</c> condition. A pod is
/// bound once; binding it again, or binding one being deleted, is a conflict, as in Kubernetes.
/// Like the apiserver's <c>BindingREST</c>, it changes the stored pod directly: no update strategy,
/// no validation of the rest of the pod, no managed-fields entry for the binder.
/// </summary>
public static class PodBinding
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public static Task<JsonObject> BindAsync(
        ObjectRegistry registry, string ns, string name, string node, string? podUid, bool dryRun, TimeProvider time, CancellationToken cancellationToken) =>
        registry.GuaranteedUpdateAsync(Pods, ns, name, pod => Bind(pod, name, node, podUid, time), dryRun, cancellationToken);

    private static JsonObject Bind(JsonObject pod, string name, string node, string? podUid, TimeProvider time)
    {
        if (podUid is not null && podUid != ObjectMetadata.Uid(pod))
        {
            throw ApiException.Conflict(Pods, name, $"Precondition failed: UID in precondition: {podUid}, UID in object meta: {ObjectMetadata.Uid(pod)}");
        }

        var spec = pod["spec"] as JsonObject ?? [];
        var assigned = spec["nodeName"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(assigned))
        {
            throw ApiException.Conflict(Pods, name, $"pod {name} is already assigned to node \"{assigned}\"");
        }

        if (ObjectMetadata.IsDeleting(pod))
        {
            throw ApiException.Conflict(Pods, name, "pod is being deleted, cannot be assigned to a host");
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
