using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// <c>kubectl get events</c>: LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME.
/// The wide columns are interleaved, so this printer's cell order is the column order below.
/// </summary>
internal static class EventPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.Text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            TableColumn.Text("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
            TableColumn.Text("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            TableColumn.Text("Object", "The object that this event is about."),
            TableColumn.Text("Subobject", "The field of the object that this event is about.", 1),
            TableColumn.Text("Source", "The component reporting this event.", 1),
            TableColumn.Text("Message", "A human-readable description of the status of this operation."),
            TableColumn.Text("First Seen", "The time at which the event was first recorded.", 1),
            TableColumn.Text("Count", "The number of times this event has occurred.", 1),
            TableColumn.ObjectName with { Priority = 1 },
        ],
        Cells);

    private static JsonNode?[] Cells(JsonObject ev, DateTimeOffset now)
    {
        var firstTimestamp = JsonRead.Time(ev, "firstTimestamp") is { } first
            ? HumanDuration.Since(first, now)
            : HumanDuration.Since(JsonRead.Time(ev, "eventTime"), now);
        var lastTimestamp = JsonRead.Time(ev, "lastTimestamp") is { } last ? HumanDuration.Since(last, now) : firstTimestamp;

        var count = JsonRead.Long(ev, "count");
        if (JsonRead.At(ev, "series") is JsonObject series)
        {
            lastTimestamp = HumanDuration.Since(JsonRead.Time(series, "lastObservedTime"), now);
            count = JsonRead.Long(series, "count");
        }
        else if (count == 0)
        {
            // Events of the events.k8s.io API leave count unset for a single occurrence.
            count = 1;
        }

        var kind = JsonRead.String(ev, "involvedObject", "kind").ToLowerInvariant();
        var name = JsonRead.String(ev, "involvedObject", "name");
        var component = FirstNonEmpty(JsonRead.String(ev, "source", "component"), JsonRead.String(ev, "reportingComponent"));
        var host = FirstNonEmpty(JsonRead.String(ev, "source", "host"), JsonRead.String(ev, "reportingInstance"));

        return
        [
            lastTimestamp,
            JsonRead.String(ev, "type"),
            JsonRead.String(ev, "reason"),
            name.Length > 0 ? $"{kind}/{name}" : kind,
            JsonRead.String(ev, "involvedObject", "fieldPath"),
            host.Length == 0 ? component : $"{component}, {host}",
            JsonRead.String(ev, "message").Trim(),
            firstTimestamp,
            count,
            CellFormat.Name(ev),
        ];
    }

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;
}
