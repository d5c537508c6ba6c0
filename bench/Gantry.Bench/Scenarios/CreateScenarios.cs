using System.Globalization;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Scenarios;

/// <summary>(a) closed-loop pod creates at rising concurrency, (b) open-loop creates at a fixed rate.</summary>
internal static class CreateScenarios
{
    public static readonly int[] Concurrencies = [1, 8, 32, 128];

    // Enough warm connections for the open loop's bursts; more are opened (with a handshake) only if the server stalls.
    private const int OpenLoopConnections = 64;

    // Long enough for tiered compilation and dynamic PGO to finish with the hot paths in both processes.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(8);

    /// <summary>Lets both JITs tier up and the server's pools fill before anything is timed.</summary>
    public static async Task WarmUpAsync(BenchContext context)
    {
        const string ns = "bench-warmup";
        await context.Api.CreateNamespaceAsync(ns).ConfigureAwait(false);
        BenchContext.Progress($"warm-up: {WarmUp.TotalSeconds:0} s of creates and gets at concurrency 8");
        await ClosedLoop.RunAsync(8, WarmUp, context.Server.Pid, async (worker, sequence, token) =>
        {
            var name = Name("warm", worker, sequence);
            await context.Api.CreatePodAsync(ns, name, token).ConfigureAwait(false);
            await context.Api.GetAsync($"{KubeApi.PodsPath(ns)}/{name}", token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public static async Task ClosedLoopAsync(BenchContext context)
    {
        const string ns = "bench-create";
        await context.Api.CreateNamespaceAsync(ns).ConfigureAwait(false);
        foreach (var concurrency in Concurrencies)
        {
            await context.Api.OpenConnectionsAsync(concurrency).ConfigureAwait(false);
            var run = await ClosedLoop.RunAsync(concurrency, context.Options.Duration, context.Server.Pid, (worker, sequence, token) =>
                context.Api.CreatePodAsync(ns, Name($"c{concurrency}", worker, sequence), token)).ConfigureAwait(false);
            context.Add("(a) pod create, closed loop", $"concurrency {concurrency}", run);
        }
    }

    public static async Task OpenLoopAsync(BenchContext context)
    {
        const string ns = "bench-open";
        await context.Api.CreateNamespaceAsync(ns).ConfigureAwait(false);
        var rate = context.Options.OpenLoopRate;
        await context.Api.OpenConnectionsAsync(OpenLoopConnections).ConfigureAwait(false);
        var result = await OpenLoop.RunAsync(rate, context.Options.Duration, context.Server.Pid, index =>
            context.Api.CreatePodAsync(ns, string.Create(CultureInfo.InvariantCulture, $"open-{index}"), CancellationToken.None)).ConfigureAwait(false);
        context.Add("(b) pod create, open loop", $"{rate:0}/s for {context.Options.Duration.TotalSeconds:0} s", result.Run,
            $"latency from the scheduled send; service time p50/p99/max {result.ServiceTime.P50:0.00}/{result.ServiceTime.P99:0.00}/{result.ServiceTime.Max:0.00} ms; bench send lag p99 {result.SendLag.P99:0.00} ms");
    }

    public static string Name(string prefix, int worker, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{worker}-{sequence}");
}
