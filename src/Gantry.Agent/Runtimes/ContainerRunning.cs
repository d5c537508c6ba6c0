namespace Gantry.Agent.Runtimes;

/// <summary>Running.</summary>
/// <param name="Pid">The workload's main process as the host sees it (the init of its PID namespace).</param>
/// <param name="StartedAt">When it was started.</param>
public sealed record ContainerRunning(int Pid, DateTimeOffset StartedAt) : ContainerStatus;
