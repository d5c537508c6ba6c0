using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Api;
using Gantry.Server.Registry;

namespace Gantry.Server.Security;

/// <summary>
/// Kubernetes' NodeRestriction admission, for Gantry's node users: a Node a join token creates is stamped with that
/// token's id (<see cref="AgentClientIdentity.TokenIdAnnotation"/>), and no node user may change or remove the stamp. With
/// <see cref="NodeRole"/>, which lets a node user write only Nodes, leases, pods and their status under its own
/// stamp, one token can neither take over another agent's Node nor point the server's proxy, and the token the proxy
/// presents, at an address of its choosing.
/// </summary>
public static class NodeRestriction
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    /// <summary>The token id a node user acts for; null for users who are not node users.</summary>
    public static string? TokenIdOf(RequestUser? user) =>
        user is not null && user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters) ? user.TokenId : null;

    /// <summary>The stamp a stored Node carries; null when it has none (an admin's agent registered it).</summary>
    public static string? StampOf(JsonNode? node) => node?["metadata"]?["annotations"]?[AgentClientIdentity.TokenIdAnnotation]?.GetValue<string>();

    /// <summary>Stamps a Node a node user creates; refuses an update by a node user that would change the stamp.</summary>
    /// <exception cref="ApiException">403 Forbidden.</exception>
    public static void Admit(ResourceType type, JsonObject next, JsonObject? current, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        if (type != Nodes || TokenIdOf(options.User) is not { } id)
        {
            return;
        }

        if (current is null)
        {
            var metadata = ObjectMetadata.Of(next);
            var annotations = metadata["annotations"] as JsonObject ?? [];
            annotations[AgentClientIdentity.TokenIdAnnotation] = id;
            metadata["annotations"] = annotations;
            return;
        }

        if (StampOf(next) != id || StampOf(current) != id)
        {
            throw ApiException.Forbidden(type, ObjectMetadata.Name(next),
                $"User \"{options.User!.Name}\" may only modify Nodes annotated {AgentClientIdentity.TokenIdAnnotation}={id}, and may not change that annotation");
        }
    }
}
