using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>One <c>metadata.managedFields</c> entry, decoded: who owns which fields, and how they came to.</summary>
internal sealed class ManagerEntry(string manager, string operation, string apiVersion, string? time, string? subresource, FieldSet fields)
{
    public string Manager { get; } = manager;

    public string Operation { get; } = operation;

    public string ApiVersion { get; set; } = apiVersion;

    public string? Time { get; set; } = time;

    public string? Subresource { get; } = subresource;

    public FieldSet Fields { get; set; } = fields;

    /// <summary>
    /// Whether this entry belongs to the given manager. As in the API server, appliers are one
    /// manager whatever API version they apply with; updaters are one per API version.
    /// </summary>
    public bool Is(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager
        && Operation == operation
        && (Subresource ?? "") == (subresource ?? "")
        && (operation == ManagedFields.ApplyOperation || ApiVersion == apiVersion);

    public static ManagerEntry? FromJson(JsonNode? node)
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
            FieldSet.FromFieldsV1(entry["fieldsV1"]));
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
        entry["fieldsV1"] = Fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource))
        {
            entry["subresource"] = Subresource;
        }

        return entry;
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
