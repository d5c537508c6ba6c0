namespace Gantry.Core.Metrics;

/// <summary>Memory at <see cref="Time"/>: the working set is the usage less the inactive page cache, which the kernel
/// reclaims first, so it is what the OOM killer and the kubelet's evictions look at.</summary>
public sealed record MemoryStats(DateTimeOffset Time, ulong WorkingSetBytes);
