using Gantry.Agent.Probes;
using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Pods;

/// <summary>
/// What the agent knows of one container of a pod: its current instance (if started), the
/// previous one (kept for <c>logs --previous</c>) and how it ended, its restarts, its probes, and
/// why it waits if it does.
/// </summary>
public sealed class ContainerRecord(string name)
{
    public string Name { get; } = name;

    public ContainerHandle? Current { get; set; }

    public ContainerHandle? Previous { get; set; }

    public ContainerStatus? Status { get; set; }

    /// <summary>How the previous instance ended: the container status's <c>lastState.terminated</c> once it has restarted.</summary>
    public ContainerExited? LastTermination { get; set; }

    /// <summary>The termination messages of exited instances, by container ID, read once when the exit is seen.</summary>
    public Dictionary<string, string> TerminationMessages { get; } = [];

    public int RestartCount { get; set; }

    /// <summary>Set while the container waits: ContainerCreating, CrashLoopBackOff, CreateContainerError.</summary>
    public string? WaitingReason { get; set; }

    public string? WaitingMessage { get; set; }

    /// <summary>The earliest moment a crashed container may start again.</summary>
    public DateTimeOffset RestartNotBefore { get; set; }

    /// <summary>The watch on an instance's exit (<see cref="IContainerRuntime.WatchExit"/>), and that instance: the current one once it is watched.</summary>
    public (ContainerHandle Handle, IDisposable Watch)? ExitWatch { get; set; }

    /// <summary>The probe workers of the current instance; null when the container declares no probe or has no instance.</summary>
    public ContainerProbes? Probes { get; set; }

    /// <summary>
    /// Set when the agent killed the current instance for a failed liveness or startup probe: it
    /// restarts (unless the pod's restartPolicy is Never) whatever its exit code.
    /// </summary>
    public ProbeKind? KilledBy { get; set; }
}
