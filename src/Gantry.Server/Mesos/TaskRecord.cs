using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// What the master knows of one task: its pod, its last state, and the updates the framework has not acknowledged yet.
/// Those go out one at a time and in order, each sent again until it is acknowledged, as a Mesos agent's status update
/// stream delivers a task's updates.
/// </summary>
public sealed class TaskRecord(string taskId, string agent, string podName)
{
    private readonly Queue<JsonObject> _unacknowledged = new();

    public string TaskId { get; } = taskId;

    public string Agent { get; } = agent;

    public string PodName { get; } = podName;

    /// <summary>The pod as last seen; null before it is created and after it is gone.</summary>
    public V1Pod? Pod { get; set; }

    public TaskState State { get; set; } = TaskState.Staging;

    public DateTimeOffset Since { get; set; }

    /// <summary>The uuid of the update being delivered; null when every update has been acknowledged.</summary>
    public string? PendingUuid => InFlight?["uuid"]?.GetValue<string>();

    /// <summary>The oldest update not acknowledged, the one the framework is sent; those after it wait for its acknowledgement.</summary>
    public JsonObject? InFlight => _unacknowledged.TryPeek(out var status) ? status : null;

    public bool KillRequested { get; set; }

    public bool Finished => State.IsTerminal && _unacknowledged.Count == 0;

    /// <summary>Queues an update; true when it is the one to send now (nothing before it awaits an acknowledgement).</summary>
    public bool Enqueue(JsonObject status)
    {
        _unacknowledged.Enqueue(status);
        return _unacknowledged.Count == 1;
    }

    /// <summary>The update with <paramref name="uuid"/> was acknowledged; if it was the one in flight, the next one to send, if any.</summary>
    public bool Acknowledge(string uuid, out JsonObject? next)
    {
        next = null;
        if (PendingUuid != uuid)
        {
            return false;
        }

        _unacknowledged.Dequeue();
        next = InFlight;
        return true;
    }

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
