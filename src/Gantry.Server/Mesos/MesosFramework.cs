using System.Text.Json.Nodes;

namespace Gantry.Server.Mesos;

/// <summary>
/// A framework as the master holds it: who it is, its stream while it is connected, since when it has been without one
/// (it is torn down when that lasts its failover timeout), and its tasks by id. Guarded by the master's lock.
/// </summary>
public sealed class MesosFramework(string id)
{
    public string Id { get; } = id;

    public string Name { get; set; } = "";

    public string Role { get; set; } = "*";

    public TimeSpan FailoverTimeout { get; set; }

    /// <summary>The FrameworkInfo it last subscribed with, its id filled in; null for a framework known only from its tasks' pods.</summary>
    public JsonObject? Info { get; set; }

    /// <summary>PARTITION_AWARE: tasks whose pods vanish are TASK_GONE, not TASK_LOST, and unknown ones TASK_UNKNOWN.</summary>
    public bool PartitionAware { get; set; }

    /// <summary>TASK_KILLING_STATE: a task being killed is reported TASK_KILLING first.</summary>
    public bool KillingState { get; set; }

    public FrameworkSession? Session { get; set; }

    /// <summary>When it first subscribed to this master; null for a framework known only from its tasks' pods since a restart.</summary>
    public DateTimeOffset? RegisteredAt { get; set; }

    public DateTimeOffset? DisconnectedSince { get; set; }

    public Dictionary<string, TaskRecord> Tasks { get; } = new(StringComparer.Ordinal);

    public TaskOwner Owner => new(Id, Name, FailoverTimeout);

    /// <summary>Records the task's new state and reports it, to be acknowledged, after the task's earlier updates.</summary>
    public void Report(TaskRecord task, TaskState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.State = state;
        task.Since = now;
        var status = task.Status(Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (task.Enqueue(status))
        {
            SendUpdate(status);
        }
    }

    /// <summary>ACKNOWLEDGE of a task's update in flight: the task's next update, if one waits, goes out. False for any other uuid.</summary>
    public bool Acknowledge(TaskRecord task, string uuid)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Acknowledge(uuid, out var next))
        {
            return false;
        }

        if (next is not null)
        {
            SendUpdate(next);
        }

        return true;
    }

    /// <summary>An update the master makes of a task it never ran (refused, dropped): nothing to acknowledge or keep.</summary>
    public void ReportUnlaunched(string taskId, string? agent, string state, string message, string reason, DateTimeOffset now)
    {
        var status = new JsonObject
        {
            ["task_id"] = SchedulerEvents.Id(taskId),
            ["state"] = state,
            ["source"] = "SOURCE_MASTER",
            ["timestamp"] = now.ToUnixTimeMilliseconds() / 1000.0,
            ["message"] = message,
            ["reason"] = reason,
        };
        // A task the framework named without its agent is reported without one, as Mesos' master does.
        if (!string.IsNullOrEmpty(agent))
        {
            status["agent_id"] = SchedulerEvents.Id(agent);
        }

        Session?.Send(SchedulerEvents.Update(status));
    }

    /// <summary>Sends again each task's update in flight (on a new stream, and periodically).</summary>
    public void ResendPending()
    {
        foreach (var task in Tasks.Values)
        {
            if (task.InFlight is { } status)
            {
                SendUpdate(status);
            }
        }
    }

    // A queued update may be sent again, and a JSON node belongs to one event: each sending gets its own copy.
    private void SendUpdate(JsonObject status) => Session?.Send(SchedulerEvents.Update(status.DeepClone().AsObject()));
}
