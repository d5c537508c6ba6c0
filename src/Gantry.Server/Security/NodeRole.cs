using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Server.Storage;

namespace Gantry.Server.Security;

/// <summary>
/// What <c>system:nodes</c> may do: the rules of Kubernetes' <c>system:node</c> and <c>system:node-proxier</c>
/// ClusterRoles that a Gantry agent uses, and no more. A node reads the objects it runs pods from, writes Nodes,
/// node leases, pod status and events, and deletes the pods it has stopped; it cannot create workloads, read
/// Secrets at large or change anything else. Like the node authorizer, it may get a ConfigMap or Secret only
/// when a pod bound to a node names it (the token does not say which node, so any bound pod counts).
/// </summary>
public sealed class NodeRole(WatchCache cache)
{
    /// <summary>The ConfigMap every agent reads at start for the cluster's pod and service ranges.</summary>
    public const string NetworkConfigMapNamespace = "kube-system";

    public const string NetworkConfigMapName = "gantry-network";

    public const string NodeLeaseNamespace = "kube-node-lease";

    private static readonly string[] Read = ["get", "list", "watch"];

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    private static readonly IReadOnlyList<PolicyRule> Rules =
    [
        new(Read, [""], ["nodes", "pods", "services", "endpoints"]),
        new(Read, ["discovery.k8s.io"], ["endpointslices"]),
        new(Read, ["node.k8s.io"], ["runtimeclasses"]),
        new(["create", "update", "patch"], [""], ["nodes"]),
        new(["get", "update", "patch"], [""], ["nodes/status", "pods/status"]),
        new(["delete"], [""], ["pods"]),
        new(["get", "list", "watch", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]) { Namespace = NodeLeaseNamespace },
        new(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]),
        new(["get"], [""], ["configmaps"]) { Namespace = NetworkConfigMapNamespace, Names = [NetworkConfigMapName] },
    ];

    public bool Allows(RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Rules.Any(rule => rule.Allows(request)))
        {
            return true;
        }

        return request is { Verb: "get", Group: "", Subresource: null, Namespace: { } ns, Name: { } name } &&
            request.Resource is "configmaps" or "secrets" && IsNamedByBoundPod(request.Resource, ns, name);
    }

    private bool IsNamedByBoundPod(string resource, string ns, string name)
    {
        var (pods, _, _) = cache.List(Pods.KeyPrefix, new WatchFilter(Pods.NamespacePrefix(ns), IsBound));
        foreach (var pod in pods)
        {
            using var document = JsonDocument.Parse(pod.Json);
            var references = PodReferences.Of(document.RootElement);
            if ((resource == "secrets" ? references.Secrets : references.ConfigMaps).Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBound(CachedObject pod) => pod.Fields.GetValueOrDefault("spec.nodeName") is { Length: > 0 };
}
