using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The pod status the kubelet would report from its containers' states and probes: phase,
/// conditions and container statuses. A running container has started once its startup probe
/// succeeded (or it has none) and is ready once started and its readiness probe succeeded (or it
/// has none); the pod is Ready when all its containers are. Times are whole seconds, as the API's
/// <c>metav1.Time</c> carries them.
/// </summary>
public static class PodStatusBuilder
{
    public static V1PodStatus Build(
        V1Pod pod, IReadOnlyList<ContainerRecord> initContainers, IReadOnlyList<ContainerRecord> containers,
        string? podIp, string? hostIp, DateTime startTime, DateTime now, bool terminal = false,
        IReadOnlyList<ContainerRecord>? ephemeralContainers = null)
    {
        now = Seconds(now);
        var sidecars = Sidecars.Of(pod).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var initStatuses = initContainers.Select(c => ContainerStatusOf(pod, c, isInit: true)).ToList();
        // Incomplete: a regular init container not yet exited with 0, a sidecar not yet started. Once a regular container
        // has started, the pod stays initialized, as kubelet keeps it when a sidecar restarts.
        var incomplete = initStatuses
            .Where(s => sidecars.Contains(s.Name) ? s.Started != true : s.State.Terminated is not { ExitCode: 0 })
            .Select(s => s.Name).ToList();
        var initialized = incomplete.Count == 0 || containers.Any(c => c.Current is not null);
        var sidecarRunning = initContainers.Any(c => sidecars.Contains(c.Name) && c.Status is ContainerRunning);
        var phase = Phase(pod.Spec.RestartPolicy ?? "Always", initContainers.Where(c => !sidecars.Contains(c.Name)).ToList(), containers, initialized,
            terminal, sidecarRunning);
        var statuses = containers.Select(c => ContainerStatusOf(pod, c, isInit: false)).ToList();
        var (ready, reason, message) = Readiness(phase, initStatuses.Where(s => sidecars.Contains(s.Name)).Concat(statuses));
        var (initializedReason, initializedMessage) = Initialization(phase, initContainers.Count, initialized ? [] : incomplete);
        var previous = pod.Status?.Conditions ?? [];
        // In the kubelet's order; a pod's sandbox is ready once it has its address (its network is set up).
        var conditions = new List<V1PodCondition>
        {
            Condition(previous, "PodReadyToStartContainers", podIp is not null, now),
            Condition(previous, "Initialized", initialized, now, initializedReason, initializedMessage),
            Condition(previous, "Ready", ready, now, reason, message),
            Condition(previous, "ContainersReady", ready, now, reason, message),
            Condition(previous, "PodScheduled", true, now),
        };
        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = hostIp,
            HostIPs = hostIp is null ? null : [new V1HostIP { Ip = hostIp }],
            PodIP = podIp,
            PodIPs = podIp is null ? null : [new V1PodIP { Ip = podIp }],
            StartTime = Seconds(startTime),
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = initContainers.Count == 0 ? null : initStatuses,
            ContainerStatuses = statuses,
            EphemeralContainerStatuses = ephemeralContainers is { Count: > 0 } ? ephemeralContainers.Select(c => EphemeralStatusOf(pod, c)).ToList() : null,
        };
    }

    /// <summary>The ContainersReady (and Ready) condition as kubelet's GenerateContainersReadyCondition words it: sidecars first, then the containers.</summary>
    private static (bool Ready, string? Reason, string? Message) Readiness(string phase, IEnumerable<V1ContainerStatus> statuses)
    {
        switch (phase)
        {
            case "Succeeded":
                return (false, "PodCompleted", null);
            case "Failed":
                return (false, "PodFailed", null);
        }

        var unready = statuses.Where(s => s.Ready != true).Select(s => s.Name).ToList();
        return unready.Count == 0
            ? (true, null, null)
            : (false, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
    }

    /// <summary>The Initialized condition's reason and message as kubelet's GeneratePodInitializedCondition words them.</summary>
    private static (string? Reason, string? Message) Initialization(string phase, int initContainers, List<string> incomplete)
    {
        if (incomplete.Count == 0)
        {
            return (phase == "Succeeded" && initContainers > 0 ? "PodCompleted" : null, null);
        }

        return ("ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]");
    }

    /// <summary>
    /// The phase as kubelet's getPhase decides it; a <paramref name="terminal"/> pod (stopped for its deletion) whose
    /// containers have all exited is Succeeded or Failed whatever its restart policy, as they will not restart. A running
    /// sidecar keeps the pod Running; how sidecars end never decides the phase.
    /// </summary>
    private static string Phase(
        string restartPolicy, IReadOnlyList<ContainerRecord> regularInit, IReadOnlyList<ContainerRecord> containers, bool initialized, bool terminal,
        bool sidecarRunning)
    {
        if (!initialized)
        {
            return restartPolicy == "Never" && regularInit.Any(c => c.Status is ContainerExited { ExitCode: not 0 }) ? "Failed" : "Pending";
        }

        if (containers.Any(c => c.Status is ContainerRunning) || (sidecarRunning && !terminal))
        {
            return "Running";
        }

        if (containers.All(c => c.Status is ContainerExited) && containers.Count > 0)
        {
            var failed = containers.Any(c => c.Status is ContainerExited { ExitCode: not 0 });
            if (terminal)
            {
                return failed ? "Failed" : "Succeeded";
            }

            return restartPolicy switch
            {
                "Never" => failed ? "Failed" : "Succeeded",
                "OnFailure" when !failed => "Succeeded",
                _ => "Running",
            };
        }

        return "Pending";
    }

    private static V1PodCondition Condition(IList<V1PodCondition> previous, string type, bool status, DateTime now, string? reason = null, string? message = null)
    {
        var text = status ? "True" : "False";
        var before = previous.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            LastTransitionTime = before is not null && before.Status == text ? before.LastTransitionTime ?? now : now,
        };
    }

    private static V1ContainerStatus ContainerStatusOf(V1Pod pod, ContainerRecord record, bool isInit)
    {
        var spec = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).First(c => c.Name == record.Name);
        var state = StateOf(record);

        var last = record.WaitingReason == "CrashLoopBackOff" && record.Status is ContainerExited crashed
            ? new V1ContainerState { Terminated = Terminated(crashed, record.Current, record) }
            : record.LastTermination is { } previous
                ? new V1ContainerState { Terminated = Terminated(previous, record.Previous, record) }
                : null;
        // A sidecar starts and becomes ready as a container does; a regular init container is ready once it has succeeded.
        var runsToCompletion = isInit && !Sidecars.Is(spec);
        var started = state.Running is not null && (runsToCompletion || (record.Probes?.IsStarted ?? true));
        var ready = runsToCompletion
            ? state.Terminated is { ExitCode: 0 }
            : started && (record.Probes?.IsReady ?? true);
        return new V1ContainerStatus
        {
            Name = record.Name,
            Image = record.Current?.Image ?? spec.Image,
            ImageID = record.Current?.ImageRef ?? spec.Image,
            ContainerID = record.Current is { } handle ? $"{handle.Runtime}://{handle.Id}" : null,
            Ready = ready,
            Started = started,
            RestartCount = record.RestartCount,
            State = state,
            LastState = last ?? new V1ContainerState(),
        };
    }

    /// <summary>
    /// An ephemeral container's status, as kubelet converts it like any other's: never restarted, so with no last state,
    /// and neither started nor ready, since only the probe manager sets those, for init and regular containers alone.
    /// </summary>
    private static V1ContainerStatus EphemeralStatusOf(V1Pod pod, ContainerRecord record)
    {
        var image = (pod.Spec.EphemeralContainers ?? []).FirstOrDefault(c => c.Name == record.Name)?.Image;
        return new V1ContainerStatus
        {
            Name = record.Name,
            Image = record.Current?.Image ?? image,
            ImageID = record.Current?.ImageRef ?? image,
            ContainerID = record.Current is { } handle ? $"{handle.Runtime}://{handle.Id}" : null,
            Ready = false,
            RestartCount = record.RestartCount,
            State = StateOf(record),
            LastState = new V1ContainerState(),
        };
    }

    /// <summary>Running or terminated as the current instance is, unless the container waits for something (a back-off, a pull).</summary>
    private static V1ContainerState StateOf(ContainerRecord record)
    {
        var state = new V1ContainerState();
        switch (record.Status)
        {
            case ContainerRunning running when record.WaitingReason is null:
                state.Running = new V1ContainerStateRunning { StartedAt = Seconds(running.StartedAt.UtcDateTime) };
                break;
            case ContainerExited exited when record.WaitingReason is null:
                state.Terminated = Terminated(exited, record.Current, record);
                break;
            default:
                state.Waiting = new V1ContainerStateWaiting { Message = record.WaitingMessage, Reason = record.WaitingReason ?? "ContainerCreating" };
                break;
        }

        return state;
    }

    /// <summary>An instance's end, with the termination message read for it, if any (an empty one is left out, as kubelet does).</summary>
    private static V1ContainerStateTerminated Terminated(ContainerExited exited, ContainerHandle? handle, ContainerRecord record) => new()
    {
        ExitCode = exited.ExitCode,
        Reason = exited.Reason.ToString(),
        Message = handle is not null && record.TerminationMessages.TryGetValue(handle.Id, out var message) && message.Length > 0 ? message : null,
        StartedAt = exited.StartedAt is { } started ? Seconds(started.UtcDateTime) : null,
        FinishedAt = Seconds(exited.FinishedAt.UtcDateTime),
        ContainerID = handle is null ? null : $"{handle.Runtime}://{handle.Id}",
    };

    /// <summary>The time without its fraction of a second, so that it is written as <c>metav1.Time</c> is.</summary>
    public static DateTime Seconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Kind);
}
