using System.Buffers;
using System.Globalization;
using System.Text.Json;
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
    // Every write of every object passes here: it reads the stored JSON once as a document and copies it, member by
    // member, rather than building a tree of nodes to change one member and serializing the tree again.
    public static CachedObject Build(string key, byte[] stored, long createRevision, long modRevision)
    {
        using var document = JsonDocument.Parse(stored);
        var root = document.RootElement;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var labelElement) && labelElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in labelElement.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }
        }

        var type = ResourceTypeOfKey(key);
        var fields = type is null ? new Dictionary<string, string>() : SelectableFields.Extract(type, root);
        return new CachedObject(key, WithResourceVersion(root, modRevision), createRevision, modRevision, labels, fields);
    }

    /// <summary>
    /// The object with <c>metadata.resourceVersion</c> set: in place of the one stored if any, else after the other
    /// metadata members (where setting it on a parsed tree would put it).
    /// </summary>
    private static byte[] WithResourceVersion(JsonElement root, long revision)
    {
        var version = revision.ToString(CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var wroteMetadata = false;
            foreach (var member in root.EnumerateObject())
            {
                if (!member.NameEquals("metadata") || member.Value.ValueKind != JsonValueKind.Object)
                {
                    member.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName("metadata");
                WriteMetadata(member.Value, version, writer);
                wroteMetadata = true;
            }

            if (!wroteMetadata)
            {
                writer.WritePropertyName("metadata");
                writer.WriteStartObject();
                writer.WriteString("resourceVersion", version);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMetadata(JsonElement metadata, string version, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        var wroteVersion = false;
        foreach (var member in metadata.EnumerateObject())
        {
            if (member.NameEquals("resourceVersion"))
            {
                writer.WriteString("resourceVersion", version);
                wroteVersion = true;
            }
            else
            {
                member.WriteTo(writer);
            }
        }

        if (!wroteVersion)
        {
            writer.WriteString("resourceVersion", version);
        }

        writer.WriteEndObject();
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
