namespace Gantry.Agent.Runtimes;

/// <summary>Finished; final.</summary>
/// <param name="ExitCode">The exit status, 128 + N when killed by signal N (137 for SIGKILL).</param>
/// <param name="Reason">Why, in the words of a Kubernetes container status.</param>
/// <param name="StartedAt">When it started, if it did.</param>
/// <param name="FinishedAt">When it exited (when the loss was noticed, for <see cref="ExitReason.ContainerStatusUnknown"/>).</param>
public sealed record ContainerExited(int ExitCode, ExitReason Reason, DateTimeOffset? StartedAt, DateTimeOffset FinishedAt) : ContainerStatus;
