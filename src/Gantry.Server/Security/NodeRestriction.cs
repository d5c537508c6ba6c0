using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Api;
using Gantry.Server.Registry;

namespace Gantry.Server.Security;

/// <summary>
/// Kubernetes' NodeRestriction admission, for Gantry's node users. A Node a join token creates is stamped with that
/// token's id (<see cref="AgentClientIdentity.TokenIdAnnotation"/>) and gets no pod CIDR but the one node IPAM
/// assigns; no node user may change the stamp or the pod CIDR, and a node lease may be written only for a Node
/// stamped with the writer's token. With <see cref="NodeRole"/>, which lets a node user write only what belongs to
/// its own Nodes, one token can neither take over another agent's Node, keep its lease alive, nor route another
/// node's pod addresses to itself.
/// </summary>
public static class NodeRestriction
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private static readonly ResourceType Leases = ResourceCatalog.Get("coordination.k8s.io", "leases");

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    /// <summary>The token id a node user acts for; null for users who are not node users.</summary>
    public static string? TokenIdOf(RequestUser? user) =>
        user is not null && user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters) ? user.TokenId : null;

    /// <summary>The stamp a stored Node carries; null when it has none (an admin's agent registered it).</summary>
    public static string? StampOf(JsonNode? node) => node?["metadata"]?["annotations"]?[AgentClientIdentity.TokenIdAnnotation]?.GetValue<string>();

    /// <summary>
    /// Admits a node user's write of a Node, a node lease or a pod's status (which may not change the pod's labels, as
    /// kube's NodeRestriction has it); anyone else's passes untouched.
    /// </summary>
    /// <param name="findNode">The stored Node of a name, for a lease's.</param>
    /// <exception cref="ApiException">403 Forbidden.</exception>
    public static void Admit(ResourceType type, JsonObject next, JsonObject? current, WriteOptions options, Func<string, JsonNode?> findNode)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(findNode);
        if (TokenIdOf(options.User) is not { } id)
        {
            return;
        }

        if (type == Leases)
        {
            var name = ObjectMetadata.Name(next) ?? "";
            if (StampOf(findNode(name)) != id)
            {
                throw ApiException.Forbidden(type, name, $"User \"{options.User!.Name}\" may only write the leases of Nodes annotated {AgentClientIdentity.TokenIdAnnotation}={id}");
            }
        }
        else if (type == Nodes && current is null)
        {
            var metadata = ObjectMetadata.Of(next);
            var annotations = metadata["annotations"] as JsonObject ?? [];
            annotations[AgentClientIdentity.TokenIdAnnotation] = id;
            metadata["annotations"] = annotations;
            if (next["spec"] is JsonObject spec)
            {
                spec.Remove("podCIDR");
                spec.Remove("podCIDRs");
            }
        }
        else if (type == Pods && current is not null)
        {
            if (!JsonNode.DeepEquals(next["metadata"]?["labels"], current["metadata"]?["labels"]))
            {
                throw ApiException.Forbidden(type, ObjectMetadata.Name(next), $"User \"{options.User!.Name}\" may not change a pod's labels through its status");
            }
        }
        else if (type == Nodes && current is not null)
        {
            if (StampOf(next) != id || StampOf(current) != id)
            {
                throw ApiException.Forbidden(type, ObjectMetadata.Name(next),
                    $"User \"{options.User!.Name}\" may only modify Nodes annotated {AgentClientIdentity.TokenIdAnnotation}={id}, and may not change that annotation");
            }

            if (!JsonNode.DeepEquals(next["spec"]?["podCIDR"], current["spec"]?["podCIDR"]) || !JsonNode.DeepEquals(next["spec"]?["podCIDRs"], current["spec"]?["podCIDRs"]))
            {
                throw ApiException.Forbidden(type, ObjectMetadata.Name(next), $"User \"{options.User!.Name}\" may not change a Node's pod CIDR: node IPAM assigns it");
            }
        }
    }
}
