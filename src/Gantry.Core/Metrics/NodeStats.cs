namespace Gantry.Core.Metrics;

/// <summary>The node as a whole: every process on the machine, not only its pods.</summary>
public sealed record NodeStats(string NodeName, CpuStats? Cpu, MemoryStats? Memory);
