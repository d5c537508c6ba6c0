using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>The kinds whose tables are a name, a field or two and the age.</summary>
internal static class SimplePrinters
{
    public static TablePrinter Namespace { get; } = new(
        [TableColumn.ObjectName, TableColumn.Text("Status", "The status of the namespace"), TableColumn.Age],
        (ns, now) => [CellFormat.Name(ns), JsonRead.String(ns, "status", "phase"), CellFormat.Age(ns, now)]);

    public static TablePrinter ConfigMap { get; } = new(
        [TableColumn.ObjectName, new("Data", "string", "", "Data contains the configuration data."), TableColumn.Age],
        (cm, now) => [CellFormat.Name(cm), (long)(JsonRead.Count(cm, "data") + JsonRead.Count(cm, "binaryData")), CellFormat.Age(cm, now)]);

    public static TablePrinter Secret { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Type", "The type of the secret"),
            new("Data", "string", "", "The number of data entries in the secret"),
            TableColumn.Age,
        ],
        (secret, now) =>
        [
            CellFormat.Name(secret),
            JsonRead.String(secret, "type"),
            (long)JsonRead.Count(secret, "data"),
            CellFormat.Age(secret, now),
        ]);

    public static TablePrinter ServiceAccount { get; } = new(
        [TableColumn.ObjectName, new("Secrets", "string", "", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), TableColumn.Age],
        (sa, now) => [CellFormat.Name(sa), (long)JsonRead.Count(sa, "secrets"), CellFormat.Age(sa, now)]);

    public static TablePrinter Lease { get; } = new(
        [TableColumn.ObjectName, TableColumn.Text("Holder", "holderIdentity contains the identity of the holder of a current lease."), TableColumn.Age],
        (lease, now) => [CellFormat.Name(lease), JsonRead.String(lease, "spec", "holderIdentity"), CellFormat.Age(lease, now)]);

    public static TablePrinter RuntimeClass { get; } = new(
        [TableColumn.ObjectName, TableColumn.Text("Handler", "handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class."), TableColumn.Age],
        (rc, now) => [CellFormat.Name(rc), JsonRead.String(rc, "handler"), CellFormat.Age(rc, now)]);

    public static TablePrinter PriorityClass { get; } = new(
        [
            TableColumn.ObjectName,
            new("Value", "integer", "", "value represents the integer value of this priority class."),
            new("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
            TableColumn.Age,
            TableColumn.Text("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority."),
        ],
        (pc, now) =>
        [
            CellFormat.Name(pc),
            JsonRead.Long(pc, "value"),
            JsonRead.Bool(pc, "globalDefault"),
            CellFormat.Age(pc, now),
            JsonRead.String(pc, "preemptionPolicy"),
        ]);

    public static TablePrinter PodDisruptionBudget { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Min Available", "The minimum number of pods that must be available."),
            TableColumn.Text("Max Unavailable", "The maximum number of pods that may be unavailable."),
            new("Allowed Disruptions", "integer", "", "Calculated number of pods that may be disrupted at this time."),
            TableColumn.Age,
        ],
        (pdb, now) =>
        [
            CellFormat.Name(pdb),
            IntOrStringOrNotApplicable(JsonRead.At(pdb, "spec", "minAvailable")),
            IntOrStringOrNotApplicable(JsonRead.At(pdb, "spec", "maxUnavailable")),
            JsonRead.Long(pdb, "status", "disruptionsAllowed"),
            CellFormat.Age(pdb, now),
        ]);

    /// <summary>An int-or-string as <c>IntOrString.String()</c> prints it, or <c>N/A</c> when unset, as kube's printer does.</summary>
    private static string IntOrStringOrNotApplicable(JsonNode? value) => value is JsonValue v ? v.ToString() : "N/A";

    /// <summary>The API server's table for kinds without a printer of their own: the name and an RFC 3339 creation time.</summary>
    public static TablePrinter Default { get; } = new(
        [
            TableColumn.ObjectName,
            new("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        (obj, _) =>
        [
            CellFormat.Name(obj),
            (JsonRead.Time(obj, "metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
                .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ]);
}
