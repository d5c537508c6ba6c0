using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// Field ownership in <c>metadata.managedFields</c>, kept the way the API server keeps it so
/// that server-side apply can tell whose fields an apply would overwrite.
/// </summary>
public static class ManagedFields
{
    internal const string ApplyOperation = "Apply";
    internal const string UpdateOperation = "Update";

    /// <summary>Fields nobody owns: identity and bookkeeping the server sets (apimachinery's stripMeta).</summary>
    private static readonly FieldSet Unowned = FieldSet.FromFieldsV1(JsonNode.Parse("""
        {
          "f:apiVersion": {},
          "f:kind": {},
          "f:metadata": {
            ".": {},
            "f:name": {},
            "f:namespace": {},
            "f:creationTimestamp": {},
            "f:selfLink": {},
            "f:uid": {},
            "f:clusterName": {},
            "f:generation": {},
            "f:managedFields": {},
            "f:resourceVersion": {}
          }
        }
        """));

    /// <summary>
    /// Records that <paramref name="manager"/> changed <paramref name="oldObj"/> (null for a
    /// create) into <paramref name="newObj"/> with an update, patch or create: the fields that
    /// were added or changed move to its <c>operation: Update</c> entry for
    /// <paramref name="apiVersion"/> (taken from whoever owned them), removed fields leave every
    /// entry, and <c>newObj.metadata.managedFields</c> is rewritten. As in the API server,
    /// managedFields sent in <paramref name="newObj"/> win over the old ones, an empty list
    /// resets them, and a missing list keeps the old ones. The schema is the built-in one of
    /// <paramref name="newObj"/>'s kind. Changes to the top-level <paramref name="resetFields"/> are owned by
    /// nobody: the fields the resource's strategy resets on this write (its <c>GetResetFields</c>), such as the
    /// status a create starts afresh. A caller that knows the write kept all but one top-level member as it was (a
    /// status write keeps all but the status) names it as <paramref name="onlyChangedMember"/>, and only that member
    /// is compared.
    /// </summary>
    public static void RecordUpdate(
        JsonObject? oldObj,
        JsonObject newObj,
        string manager,
        string apiVersion,
        DateTimeOffset time,
        string? subresource = null,
        IReadOnlyCollection<string>? resetFields = null,
        string? onlyChangedMember = null)
    {
        ArgumentNullException.ThrowIfNull(newObj);
        var schema = PatchSchema.ForKind(Text(newObj, "apiVersion") ?? apiVersion, Text(newObj, "kind") ?? "");
        RecordUpdate(oldObj, newObj, manager, apiVersion, time, schema, subresource, resetFields, onlyChangedMember);
    }

    /// <inheritdoc cref="RecordUpdate(JsonObject?, JsonObject, string, string, DateTimeOffset, string?, IReadOnlyCollection{string}?, string?)"/>
    public static void RecordUpdate(
        JsonObject? oldObj,
        JsonObject newObj,
        string manager,
        string apiVersion,
        DateTimeOffset time,
        PatchSchema schema,
        string? subresource = null,
        IReadOnlyCollection<string>? resetFields = null,
        string? onlyChangedMember = null)
    {
        ArgumentNullException.ThrowIfNull(newObj);
        ArgumentNullException.ThrowIfNull(schema);
        var entries = RequestedOrLive(oldObj, newObj);
        var comparison = ObjectFields.Compare(oldObj ?? [], newObj, schema, withoutManagedFields: true, onlyChangedMember);
        // The comparison is this call's own: its added set becomes the changed one, and a new entry's set, uncopied.
        var changed = comparison.Added;
        changed.UnionWith(comparison.Modified);
        changed.ExceptWith(Unowned);
        foreach (var field in resetFields ?? [])
        {
            changed.RemoveChild("f:" + field);
        }

        var self = entries.Find(e => e.Is(manager, UpdateOperation, apiVersion, subresource));
        foreach (var entry in entries)
        {
            if (entry != self)
            {
                entry.Disown(changed);
            }

            entry.Disown(comparison.Removed);
        }

        if (!changed.IsEmpty)
        {
            if (self is null)
            {
                entries.Add(self = new ManagerEntry(manager, UpdateOperation, apiVersion, null, subresource, changed));
            }
            else
            {
                self.Own(changed);
            }

            self.Time = FormatTime(time);
        }

        Write(newObj, entries);
    }

    /// <summary>The entries of <paramref name="obj"/>; with <paramref name="replacing"/>, a later <see cref="Write"/> to it may move their nodes.</summary>
    internal static List<ManagerEntry> Read(JsonObject obj, bool replacing = false) =>
        (ManagedFieldsOf(obj) ?? [])
            .Select(entry => ManagerEntry.FromJson(entry, replacing))
            .OfType<ManagerEntry>()
            .ToList();

    /// <summary>Writes <paramref name="entries"/> that still own something, in the API server's order.</summary>
    internal static void Write(JsonObject obj, List<ManagerEntry> entries)
    {
        var kept = entries
            .Where(e => !e.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .Select(e => (JsonNode?)e.ToJson())
            .ToArray();
        if (obj["metadata"] is not JsonObject metadata)
        {
            if (kept.Length == 0)
            {
                return;
            }

            metadata = [];
            obj["metadata"] = metadata;
        }

        if (kept.Length == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray(kept);
        }
    }

    /// <summary>A copy of <paramref name="fields"/> without the fields nobody owns.</summary>
    internal static FieldSet Owned(FieldSet fields)
    {
        var owned = fields.Clone();
        owned.ExceptWith(Unowned);
        return owned;
    }

    /// <summary>Whether <c>metadata.&lt;name&gt;</c> is identity or bookkeeping that nobody owns.</summary>
    internal static bool IsUnownedMetadata(string name) =>
        Unowned.Child("f:metadata")?.Child("f:" + name)?.IsMember == true;

    internal static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The managedFields entries an update starts from (apimachinery's decodeLiveOrNew).</summary>
    private static List<ManagerEntry> RequestedOrLive(JsonObject? oldObj, JsonObject newObj)
    {
        if (ManagedFieldsOf(newObj) is not { } requested)
        {
            return oldObj is null ? [] : Read(oldObj);
        }

        if (requested.Count == 0 || (requested.Count == 1 && requested[0] is JsonObject { Count: 0 }))
        {
            return [];
        }

        // Entries that do not decode are a client's mistake; the old ones are kept instead.
        var entries = Read(newObj, replacing: true);
        return entries.Count > 0 || oldObj is null ? entries : Read(oldObj);
    }

    private static JsonArray? ManagedFieldsOf(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata ? metadata["managedFields"] as JsonArray : null;
}
