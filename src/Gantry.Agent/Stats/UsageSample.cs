namespace Gantry.Agent.Stats;

/// <summary>One reading of a cgroup's or the node's counters: cumulative CPU time and the working set at <see cref="Time"/>.</summary>
public readonly record struct UsageSample(DateTimeOffset Time, ulong CpuNanoseconds, ulong WorkingSetBytes);
