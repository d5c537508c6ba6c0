using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The pod status the kubelet would report from its containers' states: phase, conditions and
/// container statuses. Pure: the same records give the same status.
/// </summary>
public static class PodStatusBuilder
{
    public static V1PodStatus Build(
        V1Pod pod, IReadOnlyList<ContainerRecord> initContainers, IReadOnlyList<ContainerRecord> containers,
        string? podIp, string? hostIp, DateTime startTime, DateTime now)
    {
        var initialized = initContainers.All(c => c.Status is ContainerExited { ExitCode: 0 });
        var running = containers.All(c => c.Status is ContainerRunning);
        var phase = Phase(pod.Spec.RestartPolicy ?? "Always", initContainers, containers, initialized);
        var previous = pod.Status?.Conditions ?? [];
        var conditions = new List<V1PodCondition>
        {
            Condition(previous, "PodScheduled", true, now),
            Condition(previous, "Initialized", initialized, now),
            Condition(previous, "ContainersReady", initialized && running, now, running ? null : "ContainersNotReady"),
            Condition(previous, "Ready", initialized && running, now, running ? null : "ContainersNotReady"),
        };
        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = hostIp,
            HostIPs = hostIp is null ? null : [new V1HostIP { Ip = hostIp }],
            PodIP = podIp,
            PodIPs = podIp is null ? null : [new V1PodIP { Ip = podIp }],
            StartTime = startTime,
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = initContainers.Count == 0 ? null : initContainers.Select(c => ContainerStatusOf(pod, c)).ToList(),
            ContainerStatuses = containers.Select(c => ContainerStatusOf(pod, c)).ToList(),
        };
    }

    private static string Phase(string restartPolicy, IReadOnlyList<ContainerRecord> init, IReadOnlyList<ContainerRecord> containers, bool initialized)
    {
        if (!initialized)
        {
            return restartPolicy == "Never" && init.Any(c => c.Status is ContainerExited { ExitCode: not 0 }) ? "Failed" : "Pending";
        }

        if (containers.Any(c => c.Status is ContainerRunning))
        {
            return "Running";
        }

        if (containers.All(c => c.Status is ContainerExited) && containers.Count > 0)
        {
            var failed = containers.Any(c => c.Status is ContainerExited { ExitCode: not 0 });
            return restartPolicy switch
            {
                "Never" => failed ? "Failed" : "Succeeded",
                "OnFailure" when !failed => "Succeeded",
                _ => "Running",
            };
        }

        return "Pending";
    }

    private static V1PodCondition Condition(IList<V1PodCondition> previous, string type, bool status, DateTime now, string? reason = null)
    {
        var text = status ? "True" : "False";
        var before = previous.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = text,
            Reason = reason,
            LastTransitionTime = before is not null && before.Status == text ? before.LastTransitionTime ?? now : now,
        };
    }

    private static V1ContainerStatus ContainerStatusOf(V1Pod pod, ContainerRecord record)
    {
        var spec = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).First(c => c.Name == record.Name);
        var state = new V1ContainerState();
        switch (record.Status)
        {
            case ContainerRunning running when record.WaitingReason is null:
                state.Running = new V1ContainerStateRunning { StartedAt = running.StartedAt.UtcDateTime };
                break;
            case ContainerExited exited when record.WaitingReason is null:
                state.Terminated = Terminated(exited, record.Current);
                break;
            default:
                state.Waiting = new V1ContainerStateWaiting { Message = record.WaitingMessage, Reason = record.WaitingReason ?? "ContainerCreating" };
                break;
        }

        var last = record.WaitingReason == "CrashLoopBackOff" && record.Status is ContainerExited crashed
            ? new V1ContainerState { Terminated = Terminated(crashed, record.Current) }
            : null;
        return new V1ContainerStatus
        {
            Name = record.Name,
            Image = spec.Image,
            ImageID = spec.Image,
            ContainerID = record.Current is { } handle ? $"{handle.Runtime}://{handle.Id}" : null,
            Ready = state.Running is not null,
            Started = state.Running is not null,
            RestartCount = record.RestartCount,
            State = state,
            LastState = last ?? new V1ContainerState(),
        };
    }

    private static V1ContainerStateTerminated Terminated(ContainerExited exited, ContainerHandle? handle) => new()
    {
        ExitCode = exited.ExitCode,
        Reason = exited.Reason.ToString(),
        StartedAt = exited.StartedAt?.UtcDateTime,
        FinishedAt = exited.FinishedAt.UtcDateTime,
        ContainerID = handle is null ? null : $"{handle.Runtime}://{handle.Id}",
    };
}
