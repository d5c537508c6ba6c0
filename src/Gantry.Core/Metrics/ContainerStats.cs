namespace Gantry.Core.Metrics;

public sealed record ContainerStats(string Name, DateTimeOffset StartTime, CpuStats? Cpu, MemoryStats? Memory);
