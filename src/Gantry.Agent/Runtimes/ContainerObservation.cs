namespace Gantry.Agent.Runtimes;

/// <summary>Everything observed about a container at one instant, for <see cref="ContainerStateResolver"/>.</summary>
/// <param name="CreatedAt">When the checkpoint was written.</param>
/// <param name="Started">The shim's started record, once written.</param>
/// <param name="Exit">The shim's exit record, once written.</param>
/// <param name="ChildAlive">Whether the shim's child (workload, or runc) still runs, by PID and start time.</param>
/// <param name="ShimAlive">Whether the shim still runs (it may be about to write the exit record).</param>
/// <param name="WorkloadPid">The workload's main PID as the host sees it, when known.</param>
/// <param name="WorkloadStarted">Whether the workload itself ever started (runc wrote its PID), as opposed to the shim's child.</param>
/// <param name="OomKills">OOM kills in the container's cgroup.</param>
/// <param name="Now">The time of the observation.</param>
/// <param name="StartTimeout">How long a start may take before a missing started record means it was lost.</param>
internal sealed record ContainerObservation(
    DateTimeOffset CreatedAt,
    ShimStarted? Started,
    ShimExit? Exit,
    bool ChildAlive,
    bool ShimAlive,
    int? WorkloadPid,
    bool WorkloadStarted,
    long OomKills,
    DateTimeOffset Now,
    TimeSpan StartTimeout);
