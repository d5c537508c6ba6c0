using System.Diagnostics;
using Gantry.Bench.Reporting;
using Gantry.Bench.Scenarios;
using Gantry.Harness;

namespace Gantry.Bench;

/// <summary><c>api</c>: starts a fresh gantry server, runs every phase against it, prints the markdown summary.</summary>
internal static partial class ApiBenchmark
{
    // Generous for a 10k-pod LIST on a slow disk, short enough that a wedged server ends the run.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = GantryBinary.RepositoryRoot();
        var options = BenchOptions.Parse(args, root);
        var binary = GantryBinary.Locate();
        var dataDirectory = Path.Combine(options.DataRoot, "run-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dataDirectory);
        var machine = MachineInfo.Collect(dataDirectory, root);
        var total = Stopwatch.StartNew();
        BenchContext.Progress($"starting {binary} on {dataDirectory}");

        using var server = await GantryProcess.StartAsync(binary, dataDirectory, FreePort.Next(), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        BenchContext.Progress($"gantry ready, pid {server.Pid}, {server.BaseAddress}");
        using var client = ClusterClient.Create(server, maxConnections: 1024, options.HttpVersion, RequestTimeout);
        var context = new BenchContext(options, server, new KubeApi(client));
        try
        {
            var completed = await RunPhasesAsync(context).ConfigureAwait(false);
            var stopped = await StopAsync(context).ConfigureAwait(false);
            if (completed && stopped && options.Runs("restart"))
            {
                await MeasureRestartAsync(context, binary).ConfigureAwait(false);
            }
        }
        finally
        {
            // The server must be gone before its data directory is.
            server.Dispose();
            if (!options.KeepData)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        var command = "dotnet run -c Release --project bench/Gantry.Bench -- api " + string.Join(' ', args);
        var summary = MarkdownSummary.Render(machine, command.TrimEnd(), options, context.Results, context.Findings, total.Elapsed);
        Console.Out.Write(summary);
        if (options.OutputPath is not null)
        {
            await File.WriteAllTextAsync(options.OutputPath, summary).ConfigureAwait(false);
        }

        return context.Findings.Count == 0 ? 0 : 1;
    }

    /// <returns>Whether the server exited cleanly.</returns>
    private static async Task<bool> StopAsync(BenchContext context)
    {
        try
        {
            var exitCode = await context.Server.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (exitCode != 0)
            {
                context.Findings.Add($"gantry exited with code {exitCode} after SIGTERM. {context.Server.LogTail()}");
            }

            return exitCode == 0;
        }
        catch (TimeoutException ex)
        {
            context.Findings.Add(ex.Message);
            return false;
        }
    }

    /// <summary>(g) How long a restart takes with everything the other phases wrote: the store is loaded into the cache before serving.</summary>
    private static async Task MeasureRestartAsync(BenchContext context, string binary)
    {
        var started = Stopwatch.GetTimestamp();
        using var restarted = await GantryProcess.StartAsync(binary, context.Server.DataDirectory, FreePort.Next(), TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cores = Measurement.CpuMeter.ServerCpuSeconds(restarted.Pid) / elapsed.TotalSeconds;
        var keys = StoreKeys().Match(restarted.LogTail()) is { Success: true } match ? match.Groups[1].Value : "?";
        await restarted.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        context.Add("(g) restart: process start → ready", $"{keys} keys in the store", new Measurement.LoadRun([elapsed.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond], 0, null, elapsed, new Measurement.CpuUsage(cores, 0, 0)),
            "one sample; server CPU column = cores used while starting");
    }

    // The store's startup log line, e.g. "Opened store … at revision 123 with 120 keys".
    [System.Text.RegularExpressions.GeneratedRegex(@"with (\d+) keys")]
    private static partial System.Text.RegularExpressions.Regex StoreKeys();

    /// <returns>Whether every phase ran.</returns>
    private static async Task<bool> RunPhasesAsync(BenchContext context)
    {
        var options = context.Options;
        var phases = new List<(string Name, Func<Task> Run)> { ("warm-up", () => CreateScenarios.WarmUpAsync(context)) };
        if (options.Runs("create"))
        {
            phases.Add(("create", () => CreateScenarios.ClosedLoopAsync(context)));
        }

        if (options.Runs("open"))
        {
            phases.Add(("open", () => CreateScenarios.OpenLoopAsync(context)));
        }

        if (options.Runs("list") || options.Runs("get"))
        {
            phases.Add(("list setup", () => ReadScenarios.FillAsync(context)));
        }

        if (options.Runs("list"))
        {
            phases.Add(("list", () => ReadScenarios.ListAsync(context)));
        }

        if (options.Runs("get"))
        {
            phases.Add(("get", () => ReadScenarios.GetAsync(context)));
        }

        if (options.Runs("watch"))
        {
            phases.AddRange(options.Watchers.Select(n => ($"watch {n}", (Func<Task>)(() => WatchFanout.RunAsync(context, n)))));
        }

        if (options.Runs("durable"))
        {
            phases.Add(("durable", () => DurableWrites.RunAsync(context)));
        }

        foreach (var (name, run) in phases)
        {
            try
            {
                await run().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or Measurement.BenchRequestException)
            {
                // A request that fails outside a timed loop means the server is broken: later phases would only time out too.
                context.Findings.Add($"phase '{name}' failed, remaining phases skipped: {ex.GetType().Name}: {ex.Message}\n\n```\n{context.Server.LogTail()}\n```");
                BenchContext.Progress($"phase '{name}' failed: {ex.Message}");
                return false;
            }
        }

        return true;
    }
}
