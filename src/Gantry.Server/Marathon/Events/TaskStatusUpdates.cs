using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using k8s.Models;

namespace Gantry.Server.Marathon.Events;

/// <summary>
/// <c>status_update_event</c>: which change of an app's pod is a change of its task's state, and the event that tells of
/// it, with the task's fields as <c>/v2/tasks</c> shows them.
/// </summary>
public static class TaskStatusUpdates
{
    public const string EventType = "status_update_event";

    /// <summary>
    /// The task state to report for a pod's change, or null when there is none to report. A pod that appears is staging,
    /// as Marathon reports a task it has just launched; a pod that goes without having ended was killed. Nothing follows
    /// a terminal state, and TASK_KILLING is not reported, as Marathon reports it only with its <c>task_killing</c>
    /// feature, which is off unless asked for.
    /// </summary>
    public static string? Change(V1Pod? old, V1Pod? current)
    {
        var before = old is null ? null : AppView.StateOf(old);
        if (before is not null && TaskState.IsTerminalState(before))
        {
            return null;
        }

        var after = current is null ? "TASK_KILLED" : AppView.StateOf(current);
        return after == before || after is "TASK_KILLING" ? null : after;
    }

    public static JsonObject Event(V1Deployment app, V1Pod pod, string status)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(pod);
        var task = AppView.Task(app, pod);
        return new JsonObject
        {
            ["slaveId"] = task["slaveId"]?.DeepClone(),
            ["taskId"] = task["id"]!.DeepClone(),
            ["taskStatus"] = status,
            ["message"] = "",
            ["appId"] = task["appId"]!.DeepClone(),
            ["host"] = task["host"]?.DeepClone(),
            ["ipAddresses"] = task["ipAddresses"]!.DeepClone(),
            ["ports"] = task["ports"]!.DeepClone(),
            ["version"] = task["version"]?.DeepClone(),
        };
    }
}
