namespace Gantry.Agent.Runtimes;

/// <summary>Being started: the checkpoint exists, the workload's first instruction has not run yet.
/// Seen only in the moment between <see cref="IContainerRuntime.StartAsync"/> and its return, or
/// for a container whose start an agent crash interrupted.</summary>
public sealed record ContainerCreated(DateTimeOffset CreatedAt) : ContainerStatus;
