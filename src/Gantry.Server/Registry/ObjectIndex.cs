using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    // Every write of every object passes here: it reads the stored JSON once as a document for the labels, the fields
    // and where the version goes, and splices the version into a copy of the bytes, rather than building a tree to change
    // one member and writing it. The watch cache keeps each version for its window of events (seconds to minutes under
    // load), so a version takes the labels and field strings it shares with the one before rather than building its own.
    public static CachedObject Build(string key, byte[] stored, long createRevision, long modRevision, CachedObject? previous = null)
    {
        using var document = JsonDocument.Parse(stored);
        var root = document.RootElement;
        var labels = None;
        var hasMetadata = root.TryGetProperty("metadata"u8, out var metadata) && metadata.ValueKind == JsonValueKind.Object;
        if (hasMetadata && metadata.TryGetProperty("labels", out var labelElement) && labelElement.ValueKind == JsonValueKind.Object)
        {
            labels = previous is not null && SameLabels(labelElement, previous.Labels) ? previous.Labels : Labels(labelElement);
        }

        var type = ResourceTypeOfKey(key);
        var fields = type is not null ? SelectableFields.Extract(type, root, previous?.Fields)
            : key.StartsWith(ResourceType.CustomResourceKeyPrefix, StringComparison.Ordinal) ? SelectableFields.ExtractCustom(root, previous?.Fields)
            : None;
        var slot = hasMetadata ? MetadataSlot(stored, metadata) : RootSlot(stored, root);
        return new CachedObject(key, WithResourceVersion(stored, slot, modRevision), createRevision, modRevision, labels, fields);
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
    /// compact serialization, so the rest is copied as it is: the document read for the index says where the version
    /// goes, and one copy writes it there.
    /// </summary>
    private static byte[] WithResourceVersion(ReadOnlySpan<byte> stored, (int Start, int End, Slot Slot) versionSlot, long revision)
    {
        Span<byte> digits = stackalloc byte[20];
        revision.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        var version = digits[..length];
        var (start, end, slot) = versionSlot;
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

    /// <summary>Where the version goes in an object with metadata: over the stored value, or as its last member.</summary>
    private static (int Start, int End, Slot Slot) MetadataSlot(ReadOnlySpan<byte> stored, JsonElement metadata)
    {
        if (metadata.TryGetProperty("resourceVersion"u8, out var version))
        {
            var start = OffsetOf(stored, JsonMarshal.GetRawUtf8Value(version));
            return (start, start + JsonMarshal.GetRawUtf8Value(version).Length, Slot.Value);
        }

        var end = EndOf(stored, metadata);
        return (end, end, metadata.GetPropertyCount() == 0 ? Slot.FirstMember : Slot.NextMember);
    }

    /// <summary>Where the version goes in an object without metadata: a new metadata, as the object's last member.</summary>
    private static (int Start, int End, Slot Slot) RootSlot(ReadOnlySpan<byte> stored, JsonElement root)
    {
        var end = EndOf(stored, root);
        return (end, end, root.GetPropertyCount() == 0 ? Slot.FirstMetadata : Slot.NextMetadata);
    }

    /// <summary>The offset of the closing brace of <paramref name="element"/>, an object parsed from <paramref name="stored"/>.</summary>
    private static int EndOf(ReadOnlySpan<byte> stored, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        return OffsetOf(stored, raw) + raw.Length - 1;
    }

    /// <summary>Where <paramref name="part"/>, a span of the document's own bytes, starts in <paramref name="stored"/>.</summary>
    private static int OffsetOf(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> part) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(stored), ref MemoryMarshal.GetReference(part));

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
