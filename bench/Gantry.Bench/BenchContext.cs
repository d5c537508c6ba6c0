using Gantry.Bench.Measurement;
using Gantry.Bench.Scenarios;
using Gantry.Harness;

namespace Gantry.Bench;

/// <summary>What every phase needs: the options, the running server, a client, and where results go.</summary>
internal sealed class BenchContext
{
    public BenchContext(BenchOptions options, GantryProcess server, KubeApi api)
    {
        Options = options;
        Server = server;
        Api = api;
    }

    public BenchOptions Options { get; }

    public GantryProcess Server { get; }

    public KubeApi Api { get; }

    public List<BenchResult> Results { get; } = [];

    public List<string> Findings { get; } = [];

    public static void Progress(string line) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {line}");

    public void Add(string scenario, string parameters, LoadRun run, string notes = "")
    {
        var latency = LatencyStats.FromTicks(run.LatencyTicks);
        var errorNote = run.Errors > 0 ? $"first error: {run.FirstError}" : "";
        Results.Add(new BenchResult(scenario, parameters, latency, run.PerSecond, run.Errors, run.Cpu.ServerCores, run.Cpu.ClientCores, run.Cpu.OtherCores,
            string.Join("; ", new[] { notes, errorNote }.Where(n => n.Length > 0))));
        Progress($"{scenario} {parameters}: {latency.Count} ok, {run.Errors} errors, {run.PerSecond:0} /s, p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, max {latency.Max:0.00} ms, CPU cores server/bench/other {run.Cpu.ServerCores:0.00}/{run.Cpu.ClientCores:0.00}/{run.Cpu.OtherCores:0.00}");
    }
}
