using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printCronJob</c>: the schedule, its time zone, whether it is suspended, its active jobs and when it last ran.</summary>
internal static class CronJobPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            TableColumn.Text("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
            new("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
            new("Active", "integer", "", "A list of pointers to currently running jobs."),
            TableColumn.Text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            TableColumn.Age,
            TableColumn.Text("Containers", "Names of each container in the template.", 1),
            TableColumn.Text("Images", "Images referenced by each container in the template.", 1),
            TableColumn.Text("Selector", "A label query over pods that should match the pod count.", 1),
        ],
        Cells);

    private static JsonNode?[] Cells(JsonObject cronJob, DateTimeOffset now)
    {
        var jobSpec = JsonRead.At(cronJob, "spec", "jobTemplate", "spec");
        var (names, images) = CellFormat.Containers(JsonRead.At(jobSpec, "template", "spec"));
        var lastSchedule = JsonRead.Time(cronJob, "status", "lastScheduleTime");
        return
        [
            CellFormat.Name(cronJob),
            JsonRead.String(cronJob, "spec", "schedule"),
            JsonRead.At(cronJob, "spec", "timeZone") is JsonValue zone ? zone.GetValue<string>() : "<none>",
            JsonRead.OptionalBool(cronJob, "spec", "suspend") switch { true => "True", false => "False", null => "<unset>" },
            JsonRead.Count(cronJob, "status", "active"),
            lastSchedule is null ? "<none>" : HumanDuration.Since(lastSchedule, now),
            CellFormat.Age(cronJob, now),
            names,
            images,
            CellFormat.LabelSelectorOrNone(JsonRead.At(jobSpec, "selector")),
        ];
    }
}
