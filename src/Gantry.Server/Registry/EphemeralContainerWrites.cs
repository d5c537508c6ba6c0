using System.Text.Json.Nodes;

namespace Gantry.Server.Registry;

/// <summary>
/// What a write to a pod's <c>ephemeralcontainers</c> subresource takes from the writer, as kube's
/// <c>dropNonEphemeralContainerUpdates</c> decides it: <c>spec.ephemeralContainers</c> alone. The rest of the spec, the
/// status and the metadata (<c>ResetObjectMetaForStatus</c>: labels, annotations, finalizers, owner references and the
/// rest) are kept as stored.
/// </summary>
internal static class EphemeralContainerWrites
{
    public const string Subresource = "ephemeralcontainers";

    /// <summary>The stored object with the writer's ephemeral containers.</summary>
    public static JsonObject Keep(JsonObject current, JsonObject incoming)
    {
        var kept = current.DeepClone().AsObject();
        var spec = kept["spec"] as JsonObject ?? [];
        kept["spec"] = spec;
        if (incoming["spec"]?["ephemeralContainers"] is { } containers)
        {
            spec["ephemeralContainers"] = containers.DeepClone();
        }
        else
        {
            spec.Remove("ephemeralContainers");
        }

        return kept;
    }
}
