using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kubectl's table of ComponentStatuses: the Healthy condition as Healthy or Unhealthy, its message and error.</summary>
internal static class ComponentStatusPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Status", "Status of the component conditions"),
            TableColumn.Text("Message", "Message of the component conditions"),
            TableColumn.Text("Error", "Error of the component conditions"),
        ],
        (component, _) =>
        {
            var healthy = JsonRead.Objects(component, "conditions").FirstOrDefault(c => JsonRead.String(c, "type") == "Healthy");
            return
            [
                CellFormat.Name(component),
                healthy is null ? "Unknown" : JsonRead.String(healthy, "status") == "True" ? "Healthy" : "Unhealthy",
                healthy is null ? "" : JsonRead.String(healthy, "message"),
                healthy is null ? "" : JsonRead.String(healthy, "error"),
            ];
        });
}
