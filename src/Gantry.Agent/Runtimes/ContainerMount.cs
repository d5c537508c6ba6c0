namespace Gantry.Agent.Runtimes;

/// <summary>A host path made visible at a path inside the container (volumes, /etc/hosts, secrets).</summary>
public sealed record ContainerMount(string HostPath, string ContainerPath, bool ReadOnly);
