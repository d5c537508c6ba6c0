using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Registry;

/// <summary>
/// The fields each resource supports in field selectors, as the Kubernetes registry strategies
/// declare them (<c>GetAttrs</c>): metadata.name and metadata.namespace everywhere, plus per-kind ones.
/// </summary>
public static class SelectableFields
{
    private static readonly Dictionary<string, string[]> ByKind = new()
    {
        ["Pod"] =
        [
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName",
        ],
        ["Event"] =
        [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type",
        ],
        ["Secret"] = ["type"],
        ["Namespace"] = ["status.phase"],
        ["Node"] = ["spec.unschedulable"],
        ["ReplicationController"] = ["status.replicas"],
        ["ReplicaSet"] = ["status.replicas"],
        ["Job"] = ["status.successful"],
    };

    public static bool IsSupported(ResourceType type, string field) =>
        field is "metadata.name" or "metadata.namespace" ||
        (ByKind.TryGetValue(type.Kind, out var fields) && fields.Contains(field));

    public static Dictionary<string, string> Extract(ResourceType type, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = Text(metadata?["name"]),
            ["metadata.namespace"] = type.Namespaced ? Text(metadata?["namespace"]) : "",
        };
        if (ByKind.TryGetValue(type.Kind, out var fields))
        {
            foreach (var field in fields)
            {
                result[field] = field == "source" ? Text(obj["source"]?["component"]) : Text(Lookup(obj, field));
            }
        }

        return result;
    }

    private static JsonNode? Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node;
    }

    // Absent fields select as their Go zero value, as Kubernetes' field sets do.
    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
