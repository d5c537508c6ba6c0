using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printDaemonSet</c>: the status counts and the template's node selector, plus containers and selector when wide.</summary>
internal static class DaemonSetPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            new("Desired", "integer", "", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            new("Current", "integer", "", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            new("Ready", "integer", "", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            new("Up-to-date", "integer", "", "The total number of nodes that are running updated daemon pod"),
            new("Available", "integer", "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            TableColumn.Text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
            TableColumn.Age,
            TableColumn.Text("Containers", "Names of each container in the template.", 1),
            TableColumn.Text("Images", "Images referenced by each container in the template.", 1),
            TableColumn.Text("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
        ],
        Cells);

    private static JsonNode?[] Cells(JsonObject ds, DateTimeOffset now)
    {
        var podSpec = JsonRead.At(ds, "spec", "template", "spec");
        var (names, images) = CellFormat.Containers(podSpec);
        return
        [
            CellFormat.Name(ds),
            JsonRead.Long(ds, "status", "desiredNumberScheduled"),
            JsonRead.Long(ds, "status", "currentNumberScheduled"),
            JsonRead.Long(ds, "status", "numberReady"),
            JsonRead.Long(ds, "status", "updatedNumberScheduled"),
            JsonRead.Long(ds, "status", "numberAvailable"),
            CellFormat.Labels(JsonRead.At(podSpec, "nodeSelector")),
            CellFormat.Age(ds, now),
            names,
            images,
            CellFormat.LabelSelector(JsonRead.At(ds, "spec", "selector")),
        ];
    }
}
