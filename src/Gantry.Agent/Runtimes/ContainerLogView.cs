namespace Gantry.Agent.Runtimes;

/// <summary>What of a container's log a reader asks for, in the terms of kubectl's PodLogOptions.</summary>
/// <param name="Timestamps">Start each line with the time the shim read it.</param>
/// <param name="Since">Leave out what was written before this time.</param>
/// <param name="LimitBytes">Stop after this many bytes of output.</param>
public sealed record ContainerLogView(bool Timestamps = false, DateTimeOffset? Since = null, long? LimitBytes = null);
