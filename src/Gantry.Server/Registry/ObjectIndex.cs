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
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    // Every write of every object passes here: it reads the stored JSON once as a document for the labels and fields,
    // and splices the version into a copy of the bytes, rather than building a tree to change one member and writing it.
    // The watch cache keeps each version for its window of events (seconds to minutes under load), so a version takes
    // the labels and field strings it shares with the one before rather than building its own.
    public static CachedObject Build(string key, byte[] stored, long createRevision, long modRevision, CachedObject? previous = null)
    {
        using var document = JsonDocument.Parse(stored);
        var root = document.RootElement;
        var labels = None;
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var labelElement) && labelElement.ValueKind == JsonValueKind.Object)
        {
            labels = previous is not null && SameLabels(labelElement, previous.Labels) ? previous.Labels : Labels(labelElement);
        }

        var type = ResourceTypeOfKey(key);
        var fields = type is null ? None : SelectableFields.Extract(type, root, previous?.Fields);
        return new CachedObject(key, WithResourceVersion(stored, modRevision), createRevision, modRevision, labels, fields);
    }

    private static Dictionary<string, string> Labels(JsonElement labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels.EnumerateObject())
        {
            result[label.Name] = label.Value.GetString() ?? "";
        }

        return result;
    }

    private static bool SameLabels(JsonElement labels, IReadOnlyDictionary<string, string> previous)
    {
        if (labels.GetPropertyCount() != previous.Count)
        {
            return false;
        }

        foreach (var (name, value) in previous)
        {
            if (!labels.TryGetProperty(name, out var label) || !(label.ValueKind == JsonValueKind.String ? label.ValueEquals(value) : value.Length == 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The object with <c>metadata.resourceVersion</c> set: in place of the one stored if any, else after the other
    /// metadata members (where setting it on a parsed tree would put it). The stored bytes are the registry's own
    /// compact serialization, so the rest is copied as it is: one scan to find where the version goes, one copy.
    /// </summary>
    private static byte[] WithResourceVersion(ReadOnlySpan<byte> stored, long revision)
    {
        Span<byte> digits = stackalloc byte[20];
        revision.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        var version = digits[..length];
        var (start, end, slot) = VersionSlot(stored);
        var (before, after) = Framing[(int)slot];
        var result = new byte[stored.Length - (end - start) + before.Length + version.Length + after.Length];
        var output = Append(result, stored[..start]);
        output = Append(output, before);
        output = Append(output, version);
        output = Append(output, after);
        Append(output, stored[end..]);
        return result;
    }

    private static Span<byte> Append(Span<byte> output, scoped ReadOnlySpan<byte> part)
    {
        part.CopyTo(output);
        return output[part.Length..];
    }

    /// <summary>What surrounds the version in each <see cref="Slot"/>: a new member needs its name, a new metadata its braces.</summary>
    private static readonly (byte[] Before, byte[] After)[] Framing =
    [
        ("\""u8.ToArray(), "\""u8.ToArray()),
        ("\"resourceVersion\":\""u8.ToArray(), "\""u8.ToArray()),
        (",\"resourceVersion\":\""u8.ToArray(), "\""u8.ToArray()),
        ("\"metadata\":{\"resourceVersion\":\""u8.ToArray(), "\"}"u8.ToArray()),
        (",\"metadata\":{\"resourceVersion\":\""u8.ToArray(), "\"}"u8.ToArray()),
    ];

    private enum Slot
    {
        Value,
        FirstMember,
        NextMember,
        FirstMetadata,
        NextMetadata,
    }

    /// <summary>Where the version goes: over the stored value, or as a new member at the end of metadata (or of the object, with a new metadata).</summary>
    private static (int Start, int End, Slot Slot) VersionSlot(ReadOnlySpan<byte> stored)
    {
        var reader = new Utf8JsonReader(stored);
        reader.Read();
        var rootMembers = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            rootMembers++;
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var members = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                members++;
                var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isVersion)
                {
                    return (valueStart, (int)reader.BytesConsumed, Slot.Value);
                }
            }

            var metadataEnd = (int)reader.TokenStartIndex;
            return (metadataEnd, metadataEnd, members == 0 ? Slot.FirstMember : Slot.NextMember);
        }

        var rootEnd = (int)reader.TokenStartIndex;
        return (rootEnd, rootEnd, rootMembers == 0 ? Slot.FirstMetadata : Slot.NextMetadata);
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
