using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gantry.Bench.Measurement;
using Gantry.Bench.Reporting;
using Gantry.Bench.Scenarios;
using Gantry.Harness;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// <c>pod-startup</c>: a fresh <c>gantry up</c> on its own data directory and port; N pods per
/// runtime and load, each timed from its create request to phase Running seen on a watch;
/// then, with the cluster stopped, bare runc and bare unshare on the same machine for comparison.
/// </summary>
internal static class PodStartupBenchmark
{
    private const string Namespace = "bench-startup";
    private const string NodeName = "gantry-bench";
    private static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan NodePatience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A pause before each timed row: the agent is still refilling its sandbox pool from the row before, and a row
    /// that starts meanwhile times that rather than its own pods.
    /// </summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = GantryBinary.RepositoryRoot();
        var options = PodStartupOptions.Parse(args, root);
        var binary = GantryBinary.Locate();
        var run = BenchRunDirectory.Create(options.DataRoot, "pods");
        var machine = MachineInfo.Collect(run.DataDirectory, root);
        var total = Stopwatch.StartNew();
        var findings = new List<string>();
        var results = new List<StartupResult>();
        Baselines? baselines = null;
        try
        {
            var (podsLock, waited) = await PodsLock.AcquireAsync(PodsLock.DefaultPath, LockPatience, CancellationToken.None).ConfigureAwait(false);
            using (podsLock)
            {
                BenchContext.Progress($"holding {PodsLock.DefaultPath} (waited {waited.TotalSeconds:0} s); starting {binary} up on {run.DataDirectory}");
                await RunClusterAsync(binary, run, options, results, findings).ConfigureAwait(false);
            }

            baselines = await MeasureBaselinesAsync(run.DataDirectory, run.Root, options.BaselineRuns).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or HttpRequestException or BenchRequestException or InvalidOperationException)
        {
            findings.Add($"the run stopped early: {ex.GetType().Name}: {ex.Message}");
            BenchContext.Progress($"failed: {ex.Message}");
        }
        finally
        {
            await run.FinishAsync(keep: options.KeepData || findings.Count > 0).ConfigureAwait(false);
        }

        var command = "dotnet run -c Release --project bench/Gantry.Bench -- pod-startup " + string.Join(' ', args);
        var summary = PodStartupSummary.Render(machine, command.TrimEnd(), options, results, baselines, findings, total.Elapsed);
        Console.Out.Write(summary);
        if (options.OutputPath is not null)
        {
            await File.WriteAllTextAsync(options.OutputPath, summary).ConfigureAwait(false);
        }

        if (options.TimelinePath is not null)
        {
            await File.WriteAllLinesAsync(options.TimelinePath, ["pod,runtime,load,sent,answered,added,running,runtime_start_ms", .. results.SelectMany(r => r.TimelineRows)]).ConfigureAwait(false);
        }

        return findings.Count == 0 ? 0 : 1;
    }

    private static async Task RunClusterAsync(string binary, BenchRunDirectory directory, PodStartupOptions options, List<StartupResult> results, List<string> findings)
    {
        var port = FreePort.Next();
        using var cluster = await GantryUp.StartAsync(binary, directory.DataDirectory, directory.WorkingDirectory, directory.LogPath, port, NodeName, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        BenchContext.Progress($"gantry up ready, pid {cluster.Pid}, {cluster.BaseAddress}");
        using var client = cluster.CreateClient(maxConnections: 64, TimeSpan.FromSeconds(60));
        using var watchClient = cluster.CreateClient(maxConnections: 2, Timeout.InfiniteTimeSpan);
        var api = new KubeApi(client);
        var pods = new StartupPods(client, Namespace, NodeName);
        try
        {
            await WaitForNodeReadyAsync(api).ConfigureAwait(false);
            await api.CreateNamespaceAsync(Namespace).ConfigureAwait(false);
            await using var watch = await PodWatch.OpenAsync(watchClient, api, Namespace).ConfigureAwait(false);
            var run = new StartupRun(cluster, pods, watch);
            foreach (var runtime in options.Runtimes.Where(_ => options.WarmUpPods > 0))
            {
                BenchContext.Progress($"warm-up: {options.WarmUpPods} {runtime} pods, one at a time");
                var warmUp = await run.RunAsync(runtime, options.WarmUpPods, PodLoad.Closed(1), $"warm-{runtime}").ConfigureAwait(false);
                if (warmUp.TeardownProblem is not null || warmUp.Errors > 0)
                {
                    findings.Add($"warm-up with {runtime} pods: {warmUp.Errors} did not start ({warmUp.FirstError}); {warmUp.TeardownProblem}");
                }
            }

            foreach (var runtime in options.Runtimes)
            {
                foreach (var load in options.Loads)
                {
                    await Task.Delay(SettleTime).ConfigureAwait(false);
                    BenchContext.Progress($"{options.Pods} {runtime} pods at {load.Describe()}");
                    var result = await run.RunAsync(runtime, options.Pods, load, $"{runtime}-{load.Tag}").ConfigureAwait(false);
                    results.Add(result);
                    BenchContext.Progress(string.Create(CultureInfo.InvariantCulture,
                        $"{runtime} at {load.Describe()}: {result.Startup.Count} running, {result.Errors} errors, p50 {result.Startup.P50:0.0} ms, p99 {result.Startup.P99:0.0} ms, max {result.Startup.Max:0.0} ms; {result.PodsPerSecond:0.0} pods/s; teardown {result.Teardown.TotalSeconds:0.0} s; CPU gantry/commands/bench/other {result.Cpu.ServerCores:0.00}/{result.CommandCores:0.00}/{result.Cpu.ClientCores:0.00}/{result.Cpu.OtherCores - result.CommandCores:0.00}; load before {result.LoadBefore:0.0}"));
                    if (result.TeardownProblem is not null)
                    {
                        findings.Add($"{runtime} at {load.Describe()}: {result.TeardownProblem}");
                    }

                    if (result.Errors > 0)
                    {
                        findings.Add($"{runtime} at {load.Describe()}: {result.Errors} of {options.Pods} pods did not reach Running within the patience; first: {result.FirstError}");
                    }
                }
            }

            if (watch.StrayEvents > 0)
            {
                findings.Add($"the watch delivered {watch.StrayEvents} events of pods the bench did not create");
            }
        }
        finally
        {
            // Pods outlive the agent by design: anything left must be deleted while the agent still runs.
            await DeleteLeftoversAsync(api, pods).ConfigureAwait(false);
            var exit = await cluster.StopAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (exit != 0)
            {
                findings.Add($"gantry up exited with code {exit} after SIGTERM. {cluster.LogTail()}");
            }
        }
    }

    private static async Task WaitForNodeReadyAsync(KubeApi api)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(NodePatience.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using var node = await api.GetJsonAsync($"api/v1/nodes/{NodeName}").ConfigureAwait(false);
                if (node.RootElement.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions) &&
                    conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True"))
                {
                    return;
                }
            }
            catch (BenchRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                throw new TimeoutException($"node {NodeName} was not Ready within {NodePatience.TotalSeconds:0} s");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>After a failure part way: deletes whatever pods are left and waits (bounded) until the agent has removed them.</summary>
    private static async Task DeleteLeftoversAsync(KubeApi api, StartupPods pods)
    {
        try
        {
            for (var attempt = 0; attempt < 180; attempt++)
            {
                using var list = await api.GetJsonAsync(KubeApi.PodsPath(Namespace)).ConfigureAwait(false);
                var names = list.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
                if (names.Count == 0)
                {
                    return;
                }

                if (attempt == 0)
                {
                    BenchContext.Progress($"deleting {names.Count} leftover pods");
                }

                foreach (var name in names)
                {
                    await pods.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
                }

                await Task.Delay(1000).ConfigureAwait(false);
            }

            BenchContext.Progress("leftover pods were still there after 180 s; the agent's data dir holds their checkpoints");
        }
        catch (Exception ex) when (ex is HttpRequestException or BenchRequestException or JsonException or TaskCanceledException)
        {
            BenchContext.Progress($"could not delete leftover pods: {ex.Message}");
        }
    }

    private static async Task<Baselines> MeasureBaselinesAsync(string dataDirectory, string runDirectory, int runs)
    {
        var layers = Path.Combine(dataDirectory, "agent", "images", "layers");
        var rootfs = Directory.Exists(layers) ? Directory.GetDirectories(layers) : [];
        if (rootfs.Length != 1)
        {
            throw new InvalidOperationException($"expected the busybox image's one layer under {layers}, found {rootfs.Length} (run at least one oci pod)");
        }

        BenchContext.Progress($"bare runc run -d, {runs} times, rootfs {rootfs[0]}");
        var cpu = new CpuMeter(Environment.ProcessId);
        var runc = await BareRuntimes.RuncAsync(rootfs[0], runDirectory, runs).ConfigureAwait(false);
        var runcCpu = cpu.Stop();
        BenchContext.Progress($"bare unshare, {runs} times");
        cpu = new CpuMeter(Environment.ProcessId);
        var unshare = await BareRuntimes.UnshareAsync(runs).ConfigureAwait(false);
        var unshareCpu = cpu.Stop();
        BenchContext.Progress($"4 KiB write and fsync in {dataDirectory}, {runs} times");
        var diskSync = await DiskSync.MeasureAsync(dataDirectory, runs).ConfigureAwait(false);
        BenchContext.Progress(string.Create(CultureInfo.InvariantCulture,
            $"runc p50/p99 {runc.P50:0.0}/{runc.P99:0.0} ms; unshare p50/p99 {unshare.P50:0.0}/{unshare.P99:0.0} ms; fsync p50/p99 {diskSync.P50:0.0}/{diskSync.P99:0.0} ms"));
        return new Baselines(runc, runcCpu, unshare, unshareCpu, diskSync);
    }
}
