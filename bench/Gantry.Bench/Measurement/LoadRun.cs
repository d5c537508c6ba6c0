namespace Gantry.Bench.Measurement;

/// <summary>What a load generator saw: latencies of the requests that succeeded, and the failures.</summary>
internal sealed record LoadRun(List<long> LatencyTicks, int Errors, string? FirstError, TimeSpan Elapsed, CpuUsage Cpu)
{
    public double PerSecond => LatencyTicks.Count / Elapsed.TotalSeconds;
}
