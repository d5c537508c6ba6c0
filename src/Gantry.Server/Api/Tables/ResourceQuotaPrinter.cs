using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// kube's <c>printResourceQuota</c>: each resource of <c>status.hard</c>, in order, as <c>NAME: USED/HARD</c>; those named
/// <c>limits.*</c> in the Limit column, the rest in the Request column.
/// </summary>
internal static class ResourceQuotaPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Age,
            TableColumn.Text("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
            TableColumn.Text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        ],
        (quota, now) =>
        [
            CellFormat.Name(quota),
            CellFormat.Age(quota, now),
            Column(quota, limits: false),
            Column(quota, limits: true),
        ]);

    private static string Column(JsonObject quota, bool limits)
    {
        var hard = JsonRead.At(quota, "status", "hard") as JsonObject;
        var used = JsonRead.At(quota, "status", "used") as JsonObject;
        var cells = (hard ?? []).Select(p => p.Key)
            .Where(name => name.StartsWith("limits.", StringComparison.Ordinal) == limits)
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}: {CellFormat.Quantity(used?[name])}/{CellFormat.Quantity(hard![name])}");
        return string.Join(", ", cells);
    }
}
