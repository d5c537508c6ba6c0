using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Pods;

/// <summary>
/// What the agent knows of one container of a pod: its current instance (if started), the
/// previous one (kept for <c>logs --previous</c>), its restarts, and why it waits if it does.
/// </summary>
public sealed class ContainerRecord(string name)
{
    public string Name { get; } = name;

    public ContainerHandle? Current { get; set; }

    public ContainerHandle? Previous { get; set; }

    public ContainerStatus? Status { get; set; }

    public int RestartCount { get; set; }

    /// <summary>Set while the container waits: ContainerCreating, CrashLoopBackOff, CreateContainerError.</summary>
    public string? WaitingReason { get; set; }

    public string? WaitingMessage { get; set; }

    /// <summary>The earliest moment a crashed container may start again.</summary>
    public DateTimeOffset RestartNotBefore { get; set; }
}
