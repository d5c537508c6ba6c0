using System.Text.Json;
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
        (type.Custom is null && ByKind.TryGetValue(type.Kind, out var fields) && fields.Contains(field));

    /// <summary>
    /// The object's selectable fields. Where <paramref name="previous"/> (an earlier version's) has the same values, its
    /// strings are kept, and the whole map when nothing changed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Extract(ResourceType type, JsonElement obj, IReadOnlyDictionary<string, string>? previous = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = Text(Lookup(obj, "metadata.name"), previous, "metadata.name"),
            ["metadata.namespace"] = type.Namespaced ? Text(Lookup(obj, "metadata.namespace"), previous, "metadata.namespace") : "",
        };
        if (type.Custom is null && ByKind.TryGetValue(type.Kind, out var fields))
        {
            foreach (var field in fields)
            {
                result[field] = Text(Lookup(obj, field == "source" ? "source.component" : field), previous, field);
            }
        }

        return previous is not null && AllKept(result, previous) ? previous : result;
    }

    /// <summary>
    /// The selectable fields of a custom resource, known by its key alone (the definition that says whether its kind is
    /// namespaced may come and go): its name and namespace, as kube selects custom resources by.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ExtractCustom(JsonElement obj, IReadOnlyDictionary<string, string>? previous = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = Text(Lookup(obj, "metadata.name"), previous, "metadata.name"),
            ["metadata.namespace"] = Text(Lookup(obj, "metadata.namespace"), previous, "metadata.namespace"),
        };
        return previous is not null && AllKept(result, previous) ? previous : result;
    }

    private static bool AllKept(Dictionary<string, string> fields, IReadOnlyDictionary<string, string> previous)
    {
        if (fields.Count != previous.Count)
        {
            return false;
        }

        foreach (var (field, value) in fields)
        {
            if (!ReferenceEquals(value, previous.GetValueOrDefault(field)))
            {
                return false;
            }
        }

        return true;
    }

    private static JsonElement? Lookup(JsonElement obj, string path)
    {
        var element = obj;
        foreach (var part in path.AsSpan().Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(path.AsSpan(part), out element))
            {
                return null;
            }
        }

        return element;
    }

    // Absent fields select as their Go zero value, as Kubernetes' field sets do.
    private static string Text(JsonElement? element) => element?.ValueKind switch
    {
        null or JsonValueKind.Null => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => element.Value.GetString()!,
        _ => element.Value.GetRawText(),
    };

    /// <summary>The field's text: the earlier version's string when the value is the same.</summary>
    private static string Text(JsonElement? element, IReadOnlyDictionary<string, string>? previous, string field) =>
        previous is not null && previous.TryGetValue(field, out var earlier) && element is { ValueKind: JsonValueKind.String } text && text.ValueEquals(earlier)
            ? earlier
            : Text(element);
}
