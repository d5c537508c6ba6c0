using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>ReplicationController, ReplicaSet, Deployment, StatefulSet and Job: replica counts, plus the pod template's containers when wide.</summary>
internal static class WorkloadPrinters
{
    private static readonly TableColumn Containers = TableColumn.Text("Containers", "Names of each container in the template.", 1);
    private static readonly TableColumn Images = TableColumn.Text("Images", "Images referenced by each container in the template.", 1);
    private static readonly TableColumn Selector = TableColumn.Text("Selector", "A label query over pods that should match the replica count.", 1);

    private static readonly TableColumn[] ReplicaColumns =
    [
        TableColumn.ObjectName,
        new("Desired", "integer", "", "Replicas is the number of desired replicas."),
        new("Current", "integer", "", "Replicas is the most recently observed number of replicas."),
        new("Ready", "integer", "", "The number of ready replicas for this controller."),
        TableColumn.Age,
        Containers,
        Images,
        Selector,
    ];

    public static TablePrinter ReplicationController { get; } = new(ReplicaColumns, (rc, now) =>
        ReplicaCells(rc, now, CellFormat.Labels(JsonRead.At(rc, "spec", "selector"))));

    public static TablePrinter ReplicaSet { get; } = new(ReplicaColumns, (rs, now) =>
        ReplicaCells(rs, now, CellFormat.LabelSelectorOrNone(JsonRead.At(rs, "spec", "selector"))));

    public static TablePrinter Deployment { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Ready", "Number of the pod with ready state"),
            TableColumn.Text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            TableColumn.Text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            TableColumn.Age,
            Containers,
            Images,
            Selector,
        ],
        DeploymentCells);

    /// <summary>kube's <c>printStatefulSet</c>: ready of desired, and no selector column.</summary>
    public static TablePrinter StatefulSet { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Ready", "Number of the pod with ready state"),
            TableColumn.Age,
            Containers,
            Images,
        ],
        StatefulSetCells);

    public static TablePrinter Job { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Status", "Status of the job."),
            TableColumn.Text("Completions", "The number of pods which reached phase Succeeded."),
            TableColumn.Text("Duration", "Time required to complete the job."),
            TableColumn.Age,
            Containers,
            Images,
            Selector,
        ],
        JobCells);

    private static JsonNode?[] ReplicaCells(JsonObject obj, DateTimeOffset now, string selector)
    {
        var (names, images) = CellFormat.Containers(JsonRead.At(obj, "spec", "template", "spec"));
        return
        [
            CellFormat.Name(obj),
            DesiredReplicas(obj),
            JsonRead.Long(obj, "status", "replicas"),
            JsonRead.Long(obj, "status", "readyReplicas"),
            CellFormat.Age(obj, now),
            names,
            images,
            selector,
        ];
    }

    private static JsonNode?[] DeploymentCells(JsonObject deployment, DateTimeOffset now)
    {
        var (names, images) = CellFormat.Containers(JsonRead.At(deployment, "spec", "template", "spec"));
        return
        [
            CellFormat.Name(deployment),
            $"{JsonRead.Long(deployment, "status", "readyReplicas")}/{DesiredReplicas(deployment)}",
            JsonRead.Long(deployment, "status", "updatedReplicas"),
            JsonRead.Long(deployment, "status", "availableReplicas"),
            CellFormat.Age(deployment, now),
            names,
            images,
            CellFormat.LabelSelector(JsonRead.At(deployment, "spec", "selector")),
        ];
    }

    private static JsonNode?[] StatefulSetCells(JsonObject set, DateTimeOffset now)
    {
        var (names, images) = CellFormat.Containers(JsonRead.At(set, "spec", "template", "spec"));
        return
        [
            CellFormat.Name(set),
            $"{JsonRead.Long(set, "status", "readyReplicas")}/{DesiredReplicas(set)}",
            CellFormat.Age(set, now),
            names,
            images,
        ];
    }

    private static JsonNode?[] JobCells(JsonObject job, DateTimeOffset now)
    {
        var succeeded = JsonRead.Long(job, "status", "succeeded");
        var parallelism = JsonRead.Long(job, "spec", "parallelism");
        var completions = JsonRead.OptionalLong(job, "spec", "completions") is { } wanted
            ? $"{succeeded}/{wanted}"
            : parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";

        var started = JsonRead.Time(job, "status", "startTime");
        var completed = JsonRead.Time(job, "status", "completionTime");
        var duration = started is null ? ""
            : completed is null ? HumanDuration.Since(started, now)
            : HumanDuration.Format(completed.Value - started.Value);

        var (names, images) = CellFormat.Containers(JsonRead.At(job, "spec", "template", "spec"));
        return
        [
            CellFormat.Name(job),
            JobStatus(job),
            completions,
            duration,
            CellFormat.Age(job, now),
            names,
            images,
            CellFormat.LabelSelectorOrNone(JsonRead.At(job, "spec", "selector")),
        ];
    }

    private static string JobStatus(JsonObject job)
    {
        var conditions = JsonRead.Objects(job, "status", "conditions").ToList();
        bool Has(string type) => conditions.Any(c => JsonRead.String(c, "type") == type && JsonRead.String(c, "status") == "True");

        if (Has("Complete"))
        {
            return "Complete";
        }

        if (Has("Failed"))
        {
            return "Failed";
        }

        if (JsonRead.At(job, "metadata", "deletionTimestamp") is JsonValue)
        {
            return "Terminating";
        }

        if (Has("Suspended"))
        {
            return "Suspended";
        }

        if (Has("FailureTarget"))
        {
            return "FailureTarget";
        }

        return Has("SuccessCriteriaMet") ? "SuccessCriteriaMet" : "Running";
    }

    /// <summary>spec.replicas, which Kubernetes defaults to 1 when it is not set.</summary>
    private static long DesiredReplicas(JsonObject obj) => JsonRead.OptionalLong(obj, "spec", "replicas") ?? 1;
}
