using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// One <c>metadata.managedFields</c> entry: who owns which fields, and how they came to. An entry read from an object
/// keeps its <c>fieldsV1</c> as read until a write changes what it owns, so that the entries a write does not touch
/// (a status patch leaves the creator's, which owns the whole spec) are neither decoded nor encoded again.
/// </summary>
internal sealed class ManagerEntry
{
    private FieldSet? fields;
    private JsonNode? storedFields;
    private bool mayTakeStored;

    public ManagerEntry(string manager, string operation, string apiVersion, string? time, string? subresource, FieldSet fields)
        : this(manager, operation, apiVersion, time, subresource, storedFields: null, mayTakeStored: false)
    {
        this.fields = fields;
    }

    private ManagerEntry(string manager, string operation, string apiVersion, string? time, string? subresource, JsonNode? storedFields, bool mayTakeStored)
    {
        Manager = manager;
        Operation = operation;
        ApiVersion = apiVersion;
        Time = time;
        Subresource = subresource;
        this.storedFields = storedFields;
        this.mayTakeStored = mayTakeStored;
    }

    public string Manager { get; }

    public string Operation { get; }

    public string ApiVersion { get; }

    public string? Time { get; set; }

    public string? Subresource { get; }

    /// <summary>The owned fields, decoded on first use; from then on they are what the entry writes.</summary>
    public FieldSet Fields => fields ??= FieldSet.FromFieldsV1(storedFields);

    public bool IsEmpty => fields?.IsEmpty ?? !FieldSet.HasMemberInFieldsV1(storedFields);

    /// <summary>Gives up the members of <paramref name="other"/>; decodes only when it owns one of them.</summary>
    public void Disown(FieldSet other)
    {
        if (fields is null && !other.OverlapsFieldsV1(storedFields))
        {
            return;
        }

        Fields.ExceptWith(other);
    }

    /// <summary>Takes the members of <paramref name="other"/>; decodes only when it does not own them all already.</summary>
    public void Own(FieldSet other)
    {
        if (fields is null && other.IsSubsetOfFieldsV1(storedFields))
        {
            return;
        }

        Fields.UnionWith(other);
    }

    /// <summary>
    /// Whether this entry belongs to the given manager. As in the API server, appliers are one
    /// manager whatever API version they apply with; updaters are one per API version.
    /// </summary>
    public bool Is(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager
        && Operation == operation
        && (Subresource ?? "") == (subresource ?? "")
        && (operation == ManagedFields.ApplyOperation || ApiVersion == apiVersion);

    /// <summary>
    /// Reads an entry. With <paramref name="mayTakeFields"/> its <c>fieldsV1</c> node may be moved, not copied, into
    /// what <see cref="ToJson"/> writes: for entries of the object whose managedFields the write replaces.
    /// </summary>
    public static ManagerEntry? FromJson(JsonNode? node, bool mayTakeFields = false)
    {
        if (node is not JsonObject entry || Text(entry, "manager") is not { } manager || Text(entry, "operation") is not { } operation)
        {
            return null;
        }

        return new ManagerEntry(
            manager,
            operation,
            Text(entry, "apiVersion") ?? "",
            Text(entry, "time"),
            Text(entry, "subresource"),
            entry["fieldsV1"],
            mayTakeFields);
    }

    public JsonObject ToJson()
    {
        var entry = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            entry["time"] = Time;
        }

        entry["fieldsType"] = "FieldsV1";
        entry["fieldsV1"] = fields is null ? TakeOrCopyStored() : fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource))
        {
            entry["subresource"] = Subresource;
        }

        return entry;
    }

    private JsonNode? TakeOrCopyStored()
    {
        if (storedFields is null)
        {
            return new JsonObject();
        }

        if (!mayTakeStored || storedFields.Parent is not JsonObject holder)
        {
            return storedFields.DeepClone();
        }

        // Moved once: the node then belongs to the entry written, and a later call copies it from there.
        holder.Remove("fieldsV1");
        mayTakeStored = false;
        return storedFields;
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
