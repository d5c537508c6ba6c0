using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// A Mesos task's state as its pod shows it, with the message, reason and source Mesos' command executor and master give
/// for it: a pod that is not running yet is TASK_STAGING, a running one TASK_RUNNING, one whose command exited 0
/// TASK_FINISHED, any other exit TASK_FAILED, a pod deleted at the framework's KILL TASK_KILLED.
/// </summary>
public sealed record TaskState(string State, string? Message, string? Reason, string Source)
{
    public static TaskState Staging { get; } = new("TASK_STAGING", null, null, "SOURCE_MASTER");

    public static TaskState Running { get; } = new("TASK_RUNNING", null, null, "SOURCE_EXECUTOR");

    public bool IsTerminal => IsTerminalState(State);

    public static bool IsTerminalState(string state) =>
        state is "TASK_FINISHED" or "TASK_FAILED" or "TASK_KILLED" or "TASK_LOST" or "TASK_ERROR" or "TASK_DROPPED" or "TASK_GONE" or "TASK_GONE_BY_OPERATOR";

    public static TaskState OfPod(V1Pod pod, bool killRequested)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var terminated = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated;
        switch (pod.Status?.Phase)
        {
            case "Succeeded" or "Failed" when killRequested:
                return Killed(terminated);
            case "Succeeded":
                return new TaskState("TASK_FINISHED", "Command exited with status 0", null, "SOURCE_EXECUTOR");
            case "Failed" when terminated?.Reason == "OOMKilled":
                return new TaskState("TASK_FAILED", "Memory limit exceeded", "REASON_CONTAINER_LIMITATION_MEMORY", "SOURCE_AGENT");
            case "Failed" when terminated is not null:
                return new TaskState("TASK_FAILED", ExitMessage(terminated), "REASON_COMMAND_EXECUTOR_FAILED", "SOURCE_EXECUTOR");
            case "Failed":
                return new TaskState("TASK_FAILED", pod.Status?.Message ?? pod.Status?.Reason ?? "The task's pod failed", null, "SOURCE_AGENT");
        }

        if (pod.Metadata.DeletionTimestamp is not null && killRequested)
        {
            return new TaskState("TASK_KILLING", null, null, "SOURCE_EXECUTOR");
        }

        return pod.Status?.Phase == "Running" ? Running : Staging;
    }

    /// <summary>
    /// Whether the pod's command ran before it reached <paramref name="state"/>: an exit, not a pod that failed to start
    /// it. Mesos' executor reports such a task TASK_RUNNING before its end, however short its run.
    /// </summary>
    public static bool RanBefore(TaskState state, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pod);
        return state.State is "TASK_FINISHED" or "TASK_FAILED"
            && pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { Reason: not "StartError" };
    }

    /// <summary>The state of a task whose pod is gone before it ended: killed if the framework asked, else lost.</summary>
    public static TaskState OfDeletedPod(V1Pod pod, bool killRequested, bool partitionAware)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (killRequested)
        {
            return Killed(pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated);
        }

        return new TaskState(
            partitionAware ? "TASK_GONE" : "TASK_LOST", $"The task's pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} was deleted", null, "SOURCE_MASTER");
    }

    private static TaskState Killed(V1ContainerStateTerminated? terminated) =>
        new("TASK_KILLED", terminated is null ? "Command terminated with signal Terminated" : ExitMessage(terminated), null, "SOURCE_EXECUTOR");

    private static string ExitMessage(V1ContainerStateTerminated terminated) =>
        terminated.ExitCode > 128 && terminated.ExitCode < 160
            ? $"Command terminated with signal {SignalName(terminated.ExitCode - 128)}"
            : $"Command exited with status {terminated.ExitCode}";

    private static string SignalName(int signal) => signal switch
    {
        1 => "Hangup",
        2 => "Interrupt",
        6 => "Aborted",
        9 => "Killed",
        11 => "Segmentation fault",
        15 => "Terminated",
        _ => $"{signal}",
    };
}
