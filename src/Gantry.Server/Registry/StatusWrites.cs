using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Core.Resources;

namespace Gantry.Server.Registry;

/// <summary>
/// What a write to the status subresource takes from the writer, as kube's status strategies (<c>PrepareForUpdate</c>)
/// decide it: the status and the metadata are the writer's, the spec is kept as stored, and so are a pod's owner
/// references (old kubelets corrupted them) and a deployment's labels. Identity, timestamps, generation and resource
/// version are restored as on every update.
/// </summary>
internal static class StatusWrites
{
    /// <summary>Metadata members every update restores or records on its own, whatever a status writer sends.</summary>
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation", "managedFields",
    };

    /// <summary>The metadata members a status write of <paramref name="type"/> keeps as stored.</summary>
    private static IReadOnlyList<string> KeptMetadata(ResourceType type) => PatchSchema.ForGroupKind(type.Group, type.Kind).StatusKeptMetadata;

    /// <summary>
    /// Whether the write changes metadata a status writer may change (labels, annotations, finalizers): a status patch,
    /// which leaves the metadata alone, does not.
    /// </summary>
    public static bool ChangesMetadata(ResourceType type, JsonObject incoming, JsonObject current)
    {
        var kept = KeptMetadata(type);
        var mine = incoming["metadata"] as JsonObject ?? [];
        var stored = current["metadata"] as JsonObject ?? [];
        return Differs(mine, stored, kept) || Differs(stored, mine, kept);
    }

    private static bool Differs(JsonObject a, JsonObject b, IReadOnlyList<string> kept)
    {
        foreach (var (name, value) in a)
        {
            if (!Bookkeeping.Contains(name) && !kept.Contains(name) && !JsonNode.DeepEquals(value, b[name]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The writer's object (changed in place) with the stored spec and the metadata the kind keeps.</summary>
    public static JsonObject Keep(ResourceType type, JsonObject current, JsonObject incoming)
    {
        CopyMember(current, incoming, "spec");
        var kept = KeptMetadata(type);
        if (kept.Count > 0)
        {
            var metadata = ObjectMetadata.Of(incoming);
            var stored = current["metadata"] as JsonObject ?? [];
            foreach (var name in kept)
            {
                CopyMember(stored, metadata, name);
            }
        }

        return incoming;
    }

    private static void CopyMember(JsonObject from, JsonObject to, string name)
    {
        if (from[name] is { } value)
        {
            to[name] = value.DeepClone();
        }
        else
        {
            to.Remove(name);
        }
    }
}
