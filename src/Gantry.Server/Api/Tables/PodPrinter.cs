using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// <c>kubectl get pods</c>: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES, with the
/// STATUS reasoning of the Kubernetes pod printer (init progress, container waiting and termination reasons,
/// Completed pods that still run a container, Terminating, Unknown for pods of lost nodes).
/// </summary>
internal static class PodPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn.Text("Status", "The aggregate status of the containers in this pod."),
            TableColumn.Text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            TableColumn.Age,
            TableColumn.Text("IP", "IP address allocated to the pod. Routable at least within the cluster.", 1),
            TableColumn.Text("Node", "NodeName indicates in which node this pod is scheduled.", 1),
            TableColumn.Text("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node.", 1),
            TableColumn.Text("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ],
        Cells,
        Conditions);

    private static JsonNode?[] Cells(JsonObject pod, DateTimeOffset now)
    {
        var spec = JsonRead.At(pod, "spec");
        var status = JsonRead.At(pod, "status");
        var initContainers = JsonRead.Objects(spec, "initContainers").ToList();
        var restartableInit = initContainers
            .Where(c => JsonRead.String(c, "restartPolicy") == "Always")
            .Select(c => JsonRead.String(c, "name"))
            .ToHashSet(StringComparer.Ordinal);
        var conditions = JsonRead.Objects(status, "conditions").ToList();

        var totalContainers = JsonRead.Count(spec, "containers") + restartableInit.Count;
        var readyContainers = 0;
        var restarts = 0L;
        var sidecarRestarts = 0L;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastSidecarRestart = null;

        var phase = JsonRead.String(status, "phase");
        var reason = JsonRead.String(status, "reason") is { Length: > 0 } statusReason ? statusReason : phase;
        if (conditions.Any(c => JsonRead.String(c, "type") == "PodScheduled" && JsonRead.String(c, "reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var initializing = false;
        var initStatuses = JsonRead.Objects(status, "initContainerStatuses").ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var restartCount = JsonRead.Long(container, "restartCount");
            var lastTerminated = JsonRead.Time(container, "lastState", "terminated", "finishedAt");
            var sidecar = restartableInit.Contains(JsonRead.String(container, "name"));
            restarts += restartCount;
            lastRestart = Later(lastRestart, lastTerminated);
            if (sidecar)
            {
                sidecarRestarts += restartCount;
                lastSidecarRestart = Later(lastSidecarRestart, lastTerminated);
            }

            var terminated = JsonRead.At(container, "state", "terminated") as JsonObject;
            var waitingReason = JsonRead.String(container, "state", "waiting", "reason");
            if (terminated is not null && JsonRead.Long(terminated, "exitCode") == 0)
            {
                continue;
            }

            if (sidecar && JsonRead.Bool(container, "started"))
            {
                if (JsonRead.Bool(container, "ready"))
                {
                    readyContainers++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = JsonRead.String(terminated, "reason") is { Length: > 0 } terminatedReason
                    ? "Init:" + terminatedReason
                    : JsonRead.Long(terminated, "signal") is var signal and not 0
                        ? $"Init:Signal:{signal}"
                        : $"Init:ExitCode:{JsonRead.Long(terminated, "exitCode")}";
            }
            else if (waitingReason.Length > 0 && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = $"Init:{i}/{initContainers.Count}";
            }

            initializing = true;
            break;
        }

        if (!initializing || HasTrueCondition(conditions, "Initialized"))
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = JsonRead.Objects(status, "containerStatuses").ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += JsonRead.Long(container, "restartCount");
                lastRestart = Later(lastRestart, JsonRead.Time(container, "lastState", "terminated", "finishedAt"));

                var waitingReason = JsonRead.String(container, "state", "waiting", "reason");
                var terminated = JsonRead.At(container, "state", "terminated") as JsonObject;
                if (waitingReason.Length > 0)
                {
                    reason = waitingReason;
                }
                else if (terminated is not null)
                {
                    reason = JsonRead.String(terminated, "reason") is { Length: > 0 } terminatedReason
                        ? terminatedReason
                        : JsonRead.Long(terminated, "signal") is var signal and not 0
                            ? $"Signal:{signal}"
                            : $"ExitCode:{JsonRead.Long(terminated, "exitCode")}";
                }
                else if (JsonRead.Bool(container, "ready") && JsonRead.At(container, "state", "running") is JsonObject)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            // A Completed pod with a container still running is back to Running (or not ready yet).
            if (reason == "Completed" && hasRunning)
            {
                reason = HasTrueCondition(conditions, "Ready") ? "Running" : "NotReady";
            }
        }

        var deleting = JsonRead.At(pod, "metadata", "deletionTimestamp") is JsonValue;
        if (deleting && JsonRead.String(status, "reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (deleting && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartText = restarts != 0 && lastRestart is { } last
            ? $"{restarts} ({HumanDuration.Since(last, now)} ago)"
            : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var podIp = JsonRead.Objects(status, "podIPs").Select(p => JsonRead.String(p, "ip")).FirstOrDefault() ?? "";
        return
        [
            CellFormat.Name(pod),
            $"{readyContainers}/{totalContainers}",
            reason,
            restartText,
            CellFormat.Age(pod, now),
            OrNone(podIp),
            OrNone(JsonRead.String(spec, "nodeName")),
            OrNone(JsonRead.String(status, "nominatedNodeName")),
            ReadinessGates(spec, conditions),
        ];
    }

    private static string ReadinessGates(JsonNode? spec, List<JsonObject> conditions)
    {
        var gates = JsonRead.Objects(spec, "readinessGates").Select(g => JsonRead.String(g, "conditionType")).ToList();
        if (gates.Count == 0)
        {
            return CellFormat.None;
        }

        var trueGates = gates.Count(gate =>
            conditions.FirstOrDefault(c => JsonRead.String(c, "type") == gate) is { } condition
            && JsonRead.String(condition, "status") == "True");
        return $"{trueGates}/{gates.Count}";
    }

    private static JsonArray? Conditions(JsonObject pod) => JsonRead.String(pod, "status", "phase") switch
    {
        "Succeeded" => Completed("Succeeded", "The pod has completed successfully."),
        "Failed" => Completed("Failed", "The pod failed."),
        _ => null,
    };

    private static JsonArray Completed(string reason, string message) => new(new JsonObject
    {
        ["type"] = "Completed",
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
    });

    private static bool HasTrueCondition(List<JsonObject> conditions, string type) =>
        conditions.Any(c => JsonRead.String(c, "type") == type && JsonRead.String(c, "status") == "True");

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    private static string OrNone(string value) => value.Length == 0 ? CellFormat.None : value;
}
