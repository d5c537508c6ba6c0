using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Storage;

namespace Gantry.Server.Registry;

/// <summary>
/// Builds the watch cache's view of a stored object: the JSON clients receive, with
/// <c>metadata.resourceVersion</c> set to the revision of the change (the store keeps objects
/// without it, as Kubernetes does in etcd), plus labels and selectable fields.
/// </summary>
public static class ObjectIndex
{
    public static CachedObject Build(string key, byte[] stored, long createRevision, long modRevision)
    {
        var obj = JsonNode.Parse(stored)!.AsObject();
        var metadata = obj["metadata"] as JsonObject ?? [];
        metadata["resourceVersion"] = modRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelNode)
        {
            foreach (var (k, v) in labelNode)
            {
                labels[k] = v?.GetValue<string>() ?? "";
            }
        }

        var type = ResourceTypeOfKey(key);
        var fields = type is null ? new Dictionary<string, string>() : SelectableFields.Extract(type, obj);
        return new CachedObject(key, System.Text.Encoding.UTF8.GetBytes(obj.ToJsonString()), createRevision, modRevision, labels, fields);
    }

    private static readonly (string Prefix, ResourceType Type)[] Prefixes =
        ResourceCatalog.Types.Select(t => (t.KeyPrefix, t)).OrderByDescending(p => p.KeyPrefix.Length).ToArray();

    public static ResourceType? ResourceTypeOfKey(string key)
    {
        foreach (var (prefix, type) in Prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }
}
