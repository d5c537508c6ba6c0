using System.Text.Json.Nodes;
using Gantry.Server.Api.Metrics;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// The tables of <c>kubectl get nodes.metrics.k8s.io</c> and <c>pods.metrics.k8s.io</c>, with metrics-server's
/// columns: the name, cpu and memory (a pod's summed over its containers) and the window.
/// </summary>
internal static class ResourceMetricsPrinters
{
    private static readonly TableColumn[] Columns =
    [
        new("Name", "string", "name", "Name of the resource"),
        new("cpu", "string", "quantity", ""),
        new("memory", "string", "quantity", ""),
        new("Window", "string", "duration", ""),
    ];

    public static TablePrinter Nodes { get; } = new(
        Columns,
        (node, _) =>
        [
            CellFormat.Name(node),
            JsonRead.String(node, "usage", "cpu"),
            JsonRead.String(node, "usage", "memory"),
            JsonRead.String(node, "window"),
        ]);

    public static TablePrinter Pods { get; } = new(
        Columns,
        (pod, _) =>
        {
            var usages = (pod["containers"] as JsonArray ?? []).Select(c => c?["usage"]).OfType<JsonNode>().ToList();
            var cpu = usages.Aggregate(0UL, (sum, usage) => sum + MetricsQuantity.ParseNanoCores((string)usage["cpu"]!));
            var memory = usages.Aggregate(0UL, (sum, usage) => sum + MetricsQuantity.ParseBytes((string)usage["memory"]!));
            return [CellFormat.Name(pod), MetricsQuantity.NanoCores(cpu), MetricsQuantity.Bytes(memory), JsonRead.String(pod, "window")];
        });
}
