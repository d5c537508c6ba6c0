using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Storage;

namespace Gantry.Server.Security;

/// <summary>
/// What <c>system:nodes</c> may do: the rules of Kubernetes' <c>system:node</c> and <c>system:node-proxier</c>
/// ClusterRoles that a Gantry agent uses, and no more, scoped as the node authorizer scopes them, with the reads of a
/// NetworkPolicy controller (k3s's agent). A node user reads Nodes, pods, Services, endpoint slices, Namespaces and
/// NetworkPolicies; it creates Nodes (stamped with its token by
/// <see cref="NodeRestriction"/>) and events; it writes only the Nodes, node leases, pod status and pods (to delete
/// the ones its agent stopped) that belong to Nodes stamped with its own token; it gets a ConfigMap, Secret or
/// PersistentVolumeClaim only when a pod bound to such a Node names it, and a PersistentVolume only when its claimRef
/// names such a claim. Anything else, creating workloads included, is refused.
/// </summary>
public sealed class NodeRole(WatchCache cache)
{
    /// <summary>The ConfigMap every agent reads at start for the cluster's pod and service ranges.</summary>
    public const string NetworkConfigMapNamespace = "kube-system";

    public const string NetworkConfigMapName = "gantry-network";

    public const string NodeLeaseNamespace = "kube-node-lease";

    private static readonly string[] Read = ["get", "list", "watch"];

    private static readonly string[] Write = ["update", "patch", "delete"];

    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    private static readonly ResourceType PersistentVolumes = ResourceCatalog.Get("", "persistentvolumes");

    /// <summary>Allowed whatever object they name.</summary>
    private static readonly IReadOnlyList<PolicyRule> Unscoped =
    [
        new(Read, [""], ["nodes", "pods", "services", "endpoints"]),
        new(Read, ["discovery.k8s.io"], ["endpointslices"]),
        // The agent enforces NetworkPolicies, as k3s's agent does with its network policy controller's credentials:
        // it reads every policy and the labels of every namespace (the pods it reads above).
        new(Read, [""], ["namespaces"]),
        new(Read, ["networking.k8s.io"], ["networkpolicies"]),
        new(Read, ["node.k8s.io"], ["runtimeclasses"]),
        new(["create"], [""], ["nodes"]),
        new(["get", "list", "watch", "create"], ["coordination.k8s.io"], ["leases"]) { Namespace = NodeLeaseNamespace },
        new(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]),
        new(["get"], [""], ["configmaps"]) { Namespace = NetworkConfigMapNamespace, Names = [NetworkConfigMapName] },
    ];

    /// <summary>The rules that hold for every node whatever it names, as a SelfSubjectRulesReview lists them.</summary>
    public static IReadOnlyList<PolicyRule> RulesForEveryNode => Unscoped;

    private static readonly PolicyRule NodeWrites = new(["update", "patch"], [""], ["nodes"]);

    private static readonly PolicyRule NodeStatus = new(["get", "update", "patch"], [""], ["nodes/status"]);

    private static readonly PolicyRule LeaseWrites = new(Write, ["coordination.k8s.io"], ["leases"]) { Namespace = NodeLeaseNamespace };

    private static readonly PolicyRule PodStatus = new(["get", "update", "patch"], [""], ["pods/status"]);

    private static readonly PolicyRule PodDelete = new(["delete"], [""], ["pods"]);

    public bool Allows(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        // A node is an agent with the token it joined with; anyone else in system:nodes (a client certificate's
        // organization, an impersonated group) has only what RBAC grants it.
        if (user.TokenId is null)
        {
            return false;
        }

        if (Unscoped.Any(rule => rule.Allows(request)))
        {
            return true;
        }

        if (request.Name is not { } name || user.TokenId is not { } token)
        {
            return false;
        }

        // A node lease is named after its Node.
        if (NodeWrites.Allows(request) || NodeStatus.Allows(request) || LeaseWrites.Allows(request))
        {
            return IsOwnNodeOrMissing(name, token);
        }

        if (PodStatus.Allows(request) || PodDelete.Allows(request))
        {
            return cache.Get(Pods.Key(request.Namespace, name)) is not { } pod || IsOnOwnNode(pod, token);
        }

        // The node authorizer's graph: a service account's token, for a pod on the node that runs as it (the token
        // subresource checks that the token is bound to such a pod).
        if (request is { Verb: "create", Group: "", Resource: "serviceaccounts", Subresource: "token", Namespace: { } accountNamespace })
        {
            return RunsOnOwnNode(accountNamespace, token, pod => pod.Fields.GetValueOrDefault("spec.serviceAccountName") == name);
        }

        if (request is not { Verb: "get", Group: "", Subresource: null })
        {
            return false;
        }

        // The graph's edge from a PersistentVolume to a claim is the volume's claimRef, whether the claim is bound yet or not.
        if (request is { Resource: "persistentvolumes", Namespace: null })
        {
            return ClaimOf(name) is var (claimNamespace, claim) && IsNamedByOwnPod("persistentvolumeclaims", claimNamespace, claim, token);
        }

        return request is { Namespace: { } ns, Resource: "configmaps" or "secrets" or "persistentvolumeclaims" } &&
            IsNamedByOwnPod(request.Resource, ns, name, token);
    }

    /// <summary>Whether the pod is bound to a Node stamped with the node user's token.</summary>
    public bool IsOnOwnNode(RequestUser user, string ns, string pod)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.TokenId is { } token && cache.Get(Pods.Key(ns, pod)) is { } cached && IsOnOwnNode(cached, token);
    }

    /// <summary>A missing object is let through, so the agent gets the apiserver's 404 rather than a 403 that hides it.</summary>
    private bool IsOwnNodeOrMissing(string node, string token) => cache.Get(Nodes.Key(null, node)) is null || IsStampedWith(node, token);

    private bool IsOnOwnNode(CachedObject pod, string token) =>
        pod.Fields.GetValueOrDefault("spec.nodeName") is { Length: > 0 } node && IsStampedWith(node, token);

    private bool IsStampedWith(string node, string token) =>
        cache.Get(Nodes.Key(null, node)) is { } cached && NodeRestriction.StampOf(JsonNode.Parse(cached.Json)) == token;

    private bool IsNamedByOwnPod(string resource, string ns, string name, string token) =>
        RunsOnOwnNode(ns, token, pod =>
        {
            using var document = JsonDocument.Parse(pod.Json);
            var references = PodReferences.Of(document.RootElement);
            var names = resource switch
            {
                "secrets" => references.Secrets,
                "persistentvolumeclaims" => references.Claims,
                _ => references.ConfigMaps,
            };
            return names.Contains(name);
        });

    /// <summary>The namespace and name of the claim a stored PersistentVolume's claimRef points at; null when it has none.</summary>
    private (string Namespace, string Name)? ClaimOf(string volume)
    {
        if (cache.Get(PersistentVolumes.Key(null, volume)) is not { } cached)
        {
            return null;
        }

        var claimRef = JsonNode.Parse(cached.Json)?["spec"]?["claimRef"];
        return claimRef?["namespace"]?.GetValue<string>() is { Length: > 0 } ns && claimRef["name"]?.GetValue<string>() is { Length: > 0 } claim
            ? (ns, claim)
            : null;
    }

    /// <summary>Whether a pod of the namespace on a Node stamped with the token matches.</summary>
    private bool RunsOnOwnNode(string ns, string token, Func<CachedObject, bool> matches)
    {
        // Many pods share a node: read each node's stamp once.
        var own = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool OnOwnNode(CachedObject pod) =>
            pod.Fields.GetValueOrDefault("spec.nodeName") is { Length: > 0 } node &&
            (own.TryGetValue(node, out var mine) ? mine : own[node] = IsStampedWith(node, token));

        var (pods, _, _) = cache.List(Pods.KeyPrefix, new WatchFilter(Pods.NamespacePrefix(ns), OnOwnNode));
        return pods.Any(matches);
    }
}
