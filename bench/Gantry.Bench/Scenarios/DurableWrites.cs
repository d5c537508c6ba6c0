using System.Globalization;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Scenarios;

/// <summary>
/// (f) Durable write throughput at concurrency 64, set against the disk's one-at-a-time fsync rate:
/// creates/s above that rate are only possible because writes share fsyncs (group commit).
/// </summary>
internal static class DurableWrites
{
    private const int Concurrency = 64;

    public static async Task RunAsync(BenchContext context)
    {
        const string ns = "bench-durable";
        await context.Api.CreateNamespaceAsync(ns).ConfigureAwait(false);

        var probe = FsyncProbe.Measure(context.Server.DataDirectory, TimeSpan.FromSeconds(3), context.Server.Pid);
        context.Add("(f) disk: 4 KiB append + fsync, sequential", "bench process, server data dir", probe,
            "the physical limit for one-at-a-time durable writes (req/s = fsyncs/s)");

        using var counter = SyscallCounter.TryStart(context.Server.Pid);
        var run = await ClosedLoop.RunAsync(Concurrency, context.Options.Duration, context.Server.Pid, (worker, sequence, token) =>
            context.Api.CreatePodAsync(ns, CreateScenarios.Name("d", worker, sequence), token)).ConfigureAwait(false);
        var syncs = counter is null ? null : await counter.StopAsync().ConfigureAwait(false);

        var creates = run.LatencyTicks.Count;
        var fsyncRate = probe.PerSecond;
        var ratio = run.PerSecond / fsyncRate;
        var notes = ratio > 1
            ? string.Create(CultureInfo.InvariantCulture,
                $"{ratio:0.0}× the disk's one-at-a-time fsync rate ({fsyncRate:0}/s): on average at least {ratio:0.0} creates shared each fsync")
            : string.Create(CultureInfo.InvariantCulture,
                $"below the disk's one-at-a-time fsync rate ({fsyncRate:0}/s), so the rates alone do not show sharing");
        notes += syncs is { } count && count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; perf counted {count} fsync+fdatasync calls by the server = {creates / (double)count:0.0} creates per sync ({count / run.Elapsed.TotalSeconds:0}/s)")
            : "; server fsyncs not counted (needs perf and root)";
        context.Add("(f) durable pod create, closed loop", $"concurrency {Concurrency}", run, notes);
    }
}
