using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// What the master knows of one task: its pod, its last state, and whether the framework acknowledged the update that
/// reported it. The last unacknowledged update is sent again until it is acknowledged, as Mesos' agents retry theirs.
/// </summary>
public sealed class TaskRecord(string taskId, string agent, string podName)
{
    public string TaskId { get; } = taskId;

    public string Agent { get; } = agent;

    public string PodName { get; } = podName;

    /// <summary>The pod as last seen; null before it is created and after it is gone.</summary>
    public V1Pod? Pod { get; set; }

    public TaskState State { get; set; } = TaskState.Staging;

    public DateTimeOffset Since { get; set; }

    /// <summary>The uuid of the last update that asked for an acknowledgement; null when there is none outstanding.</summary>
    public string? PendingUuid { get; set; }

    public bool KillRequested { get; set; }

    public bool Finished => State.IsTerminal && PendingUuid is null;

    /// <summary>The TaskStatus Mesos sends; with <paramref name="uuid"/> the framework must acknowledge it.</summary>
    public JsonObject Status(string? uuid, string? reasonOverride = null, string? sourceOverride = null)
    {
        var status = new JsonObject
        {
            ["task_id"] = SchedulerEvents.Id(TaskId),
            ["state"] = State.State,
            ["source"] = sourceOverride ?? State.Source,
            ["agent_id"] = SchedulerEvents.Id(Agent),
            ["timestamp"] = Since.ToUnixTimeMilliseconds() / 1000.0,
        };
        if (uuid is not null)
        {
            status["uuid"] = uuid;
        }

        if (State.Message is not null)
        {
            status["message"] = State.Message;
        }

        if ((reasonOverride ?? State.Reason) is { } reason)
        {
            status["reason"] = reason;
        }

        if (Pod?.Status?.PodIP is { Length: > 0 } ip)
        {
            status["container_status"] = new JsonObject
            {
                ["network_infos"] = new JsonArray(new JsonObject { ["ip_addresses"] = new JsonArray(new JsonObject { ["ip_address"] = ip }) }),
            };
        }

        return status;
    }
}
