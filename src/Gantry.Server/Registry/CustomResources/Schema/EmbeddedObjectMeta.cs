using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// ObjectMeta's own schema, for the metadata of embedded resources: what kube's strict decoding into
/// <c>metav1.ObjectMeta</c> (objectmeta/coerce.go) drops and reports, found along the client model's serialization
/// contract as <see cref="ObjectDecoder"/> finds unknown fields of built-in kinds.
/// </summary>
internal static class EmbeddedObjectMeta
{
    private static readonly ConcurrentDictionary<JsonTypeInfo, Dictionary<string, JsonPropertyInfo>> Properties = new();

    public static void Prune(JsonObject metadata, string prefix, List<string> removed)
    {
        Prune(metadata, KubernetesJsonOptions.Value.GetTypeInfo(typeof(V1ObjectMeta)), prefix, removed);

        // SetObjectMeta writes a zero creationTimestamp as null, and Coerce removes it.
        if (metadata.TryGetPropertyValue("creationTimestamp", out var created) && created is null)
        {
            metadata.Remove("creationTimestamp");
        }
    }

    private static void Prune(JsonNode? node, JsonTypeInfo contract, string path, List<string> removed)
    {
        switch (node)
        {
            case JsonObject map when contract.Kind == JsonTypeInfoKind.Object:
                var properties = Properties.GetOrAdd(contract, c => c.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal));
                foreach (var (key, value) in map.ToList())
                {
                    if (properties.TryGetValue(key, out var property))
                    {
                        Prune(value, contract.Options.GetTypeInfo(property.PropertyType), path + "." + key, removed);
                    }
                    else
                    {
                        removed.Add(path + "." + key);
                        map.Remove(key);
                    }
                }

                break;
            case JsonObject map when contract.Kind == JsonTypeInfoKind.Dictionary && contract.ElementType is { } valueType:
                foreach (var (key, value) in map.ToList())
                {
                    Prune(value, contract.Options.GetTypeInfo(valueType), path + "." + key, removed);
                }

                break;
            case JsonArray array when contract.Kind == JsonTypeInfoKind.Enumerable && contract.ElementType is { } elementType:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], contract.Options.GetTypeInfo(elementType), path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", removed);
                }

                break;
        }
    }
}
