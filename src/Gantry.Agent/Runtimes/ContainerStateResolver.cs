namespace Gantry.Agent.Runtimes;

/// <summary>
/// Decides a container's status from what was observed about it. Pure, so every combination of
/// shim records and liveness (including the agent-was-away ones) is specified by unit tests.
/// </summary>
internal static class ContainerStateResolver
{
    /// <summary>What the kubelet reports for a container whose exit code was lost.</summary>
    public const int LostExitCode = 137;

    public static ContainerStatus Resolve(ContainerObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Exit is { } exit)
        {
            return new ContainerExited(exit.Code, Reason(exit.Code, observation), observation.Started?.At, exit.At);
        }

        if (observation.Started is not { } started)
        {
            return observation.Now - observation.CreatedAt < observation.StartTimeout
                ? new ContainerCreated(observation.CreatedAt)
                : Lost(observation);
        }

        // A dead child with a live shim is an exit being recorded right now: still running for a moment.
        return observation.ChildAlive || observation.ShimAlive
            ? new ContainerRunning(observation.WorkloadPid ?? started.ChildPid, started.At)
            : Lost(observation);
    }

    private static ExitReason Reason(int code, ContainerObservation observation) =>
        !observation.WorkloadStarted ? ExitReason.StartError
        : code == 0 ? ExitReason.Completed
        : observation.OomKills > 0 ? ExitReason.OOMKilled
        : ExitReason.Error;

    /// <summary>Gone without an exit record: its shim was killed, or the node rebooted.</summary>
    private static ContainerExited Lost(ContainerObservation observation) =>
        new(
            LostExitCode,
            observation.OomKills > 0 ? ExitReason.OOMKilled : ExitReason.ContainerStatusUnknown,
            observation.Started?.At,
            observation.Now);
}
