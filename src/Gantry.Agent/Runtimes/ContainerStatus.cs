namespace Gantry.Agent.Runtimes;

/// <summary>Where a container is in its life: <see cref="ContainerCreated"/>, <see cref="ContainerRunning"/> or <see cref="ContainerExited"/>.</summary>
public abstract record ContainerStatus;
