using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// What kube's DaemonSet and StatefulSet controllers store as a ControllerRevision's data (<c>getPatch</c>): the pod
/// template as a strategic merge patch that restores it, which is what <c>kubectl rollout undo</c> sends back and what
/// kubectl compares, byte for byte, with the patch it makes of the live object to skip an undo to the same template.
/// </summary>
public static class TemplatePatch
{
    /// <summary>
    /// <c>{"spec":{"template":{"$patch":"replace",…}}}</c>, keys in order at every level as Go writes a map, so that
    /// the bytes are those kube's controllers and kubectl compare.
    /// </summary>
    public static JsonObject Of(V1PodTemplateSpec template)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(template))!.AsObject();
        node["$patch"] = "replace";

        // Go writes a zero creationTimestamp as null, and kubectl compares its own bytes with these.
        if (node["metadata"] is not JsonObject metadata)
        {
            node["metadata"] = metadata = [];
        }

        metadata.TryAdd("creationTimestamp", null);
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = Sorted(node) } };
    }

    /// <summary>Whether <paramref name="revision"/> holds <paramref name="patch"/> (kube's <c>EqualRevision</c> compares the raw data).</summary>
    public static bool Holds(V1ControllerRevision revision, JsonObject patch) =>
        revision.Data is not null && JsonNode.DeepEquals(patch, JsonNode.Parse(KubernetesJson.Serialize(revision.Data)));

    /// <summary>The template a revision holds, without the patch directive: what applying the revision to its owner restores.</summary>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        if (revision.Data is null || JsonNode.Parse(KubernetesJson.Serialize(revision.Data))?["spec"]?["template"] is not JsonObject template)
        {
            return null;
        }

        template.Remove("$patch");
        return KubernetesJson.Deserialize<V1PodTemplateSpec>(template.ToJsonString());
    }

    private static JsonObject Sorted(JsonObject obj) =>
        new(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value))));

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => Sorted(obj),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
