using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gantry.Bench.Measurement;
using Gantry.Bench.PodStartup;
using Gantry.Bench.Reporting;
using Gantry.Bench.Scenarios;
using Gantry.Harness;

namespace Gantry.Bench.ServiceProxy;

/// <summary>
/// <c>service-proxy</c>: a fresh <c>gantry up</c>, busybox httpd backends and a Service in front.
/// From the host, the same HTTP GET on a new connection each time, to a pod IP directly and through
/// the ClusterIP, interleaved, for latency; then each path's throughput; then endpoint changes
/// (a pod labelled into and out of a Service's selector) timed until the proxy's rules accept or
/// refuse connections to the ClusterIP.
/// </summary>
internal static class ServiceProxyBenchmark
{
    private const string Namespace = "bench-proxy";
    private const string NodeName = "gantry-bench";
    private static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan ChangePatience = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = GantryBinary.RepositoryRoot();
        var options = ServiceProxyOptions.Parse(args, root);
        var binary = GantryBinary.Locate();
        var run = BenchRunDirectory.Create(options.DataRoot, "proxy");
        var machine = MachineInfo.Collect(run.DataDirectory, root);
        var total = Stopwatch.StartNew();
        var findings = new List<string>();
        ProxyMeasurements? measurements = null;
        try
        {
            var (podsLock, waited) = await PodsLock.AcquireAsync(PodsLock.DefaultPath, LockPatience, CancellationToken.None).ConfigureAwait(false);
            using (podsLock)
            {
                BenchContext.Progress($"holding {PodsLock.DefaultPath} (waited {waited.TotalSeconds:0} s); starting {binary} up on {run.DataDirectory}");
                measurements = await RunClusterAsync(binary, run, options, findings).ConfigureAwait(false);
            }
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

        var command = "dotnet run -c Release --project bench/Gantry.Bench -- service-proxy " + string.Join(' ', args);
        var summary = ServiceProxySummary.Render(machine, command.TrimEnd(), options, measurements, findings, total.Elapsed);
        Console.Out.Write(summary);
        if (options.OutputPath is not null)
        {
            await File.WriteAllTextAsync(options.OutputPath, summary).ConfigureAwait(false);
        }

        return findings.Count == 0 ? 0 : 1;
    }

    private static async Task<ProxyMeasurements> RunClusterAsync(
        string binary, BenchRunDirectory directory, ServiceProxyOptions options, List<string> findings)
    {
        var port = FreePort.Next();
        using var cluster = await GantryUp.StartAsync(binary, directory.DataDirectory, directory.WorkingDirectory, directory.LogPath, port, NodeName, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        BenchContext.Progress($"gantry up ready, pid {cluster.Pid}, {cluster.BaseAddress}");
        using var client = cluster.CreateClient(maxConnections: 4, TimeSpan.FromSeconds(60));
        var api = new KubeApi(client);
        var objects = new ProxyObjects(client, Namespace, NodeName);
        try
        {
            await api.CreateNamespaceAsync(Namespace).ConfigureAwait(false);
            var backends = await StartBackendsAsync(objects, options.Backends).ConfigureAwait(false);
            await objects.CreateServicesAsync(CancellationToken.None).ConfigureAwait(false);
            var web = new IPEndPoint(await objects.ClusterIpAsync(ProxyObjects.WebService, CancellationToken.None).ConfigureAwait(false), 80);
            var flip = new IPEndPoint(await objects.ClusterIpAsync(ProxyObjects.FlipService, CancellationToken.None).ConfigureAwait(false), 80);
            var seen = await WaitForAllBackendsAsync(web, options.Backends).ConfigureAwait(false);
            BenchContext.Progress($"{ProxyObjects.WebService} {web} answers from all {options.Backends} backends");

            var direct = backends.Values.Select(ip => new IPEndPoint(ip, 8080)).ToList();
            BenchContext.Progress($"latency: {options.Requests} GETs per path, interleaved, a new connection each");
            var (directLatency, clusterLatency) = await MeasureLatencyAsync(direct, web, options.Requests).ConfigureAwait(false);
            BenchContext.Progress(string.Create(CultureInfo.InvariantCulture,
                $"direct p50/p99 {directLatency.P50:0.00}/{directLatency.P99:0.00} ms; ClusterIP p50/p99 {clusterLatency.P50:0.00}/{clusterLatency.P99:0.00} ms"));

            BenchContext.Progress($"throughput: {options.Concurrency} connections at once for {options.Duration.TotalSeconds:0} s per path");
            var directThroughput = await Throughput.MeasureAsync(direct, options.Concurrency, options.Duration).ConfigureAwait(false);
            var clusterThroughput = await Throughput.MeasureAsync([web], options.Concurrency, options.Duration).ConfigureAwait(false);
            BenchContext.Progress(string.Create(CultureInfo.InvariantCulture,
                $"direct {directThroughput.PerSecond:0} req/s ({directThroughput.Errors} errors); ClusterIP {clusterThroughput.PerSecond:0} req/s ({clusterThroughput.Errors} errors)"));

            foreach (var (path, run) in new[] { ("direct", directThroughput), ("ClusterIP", clusterThroughput) }.Where(r => r.Item2.Errors > 0))
            {
                findings.Add($"{run.Errors} of {run.Requests + run.Errors} {path} requests in the throughput run failed; the first: {run.FirstError}");
            }

            BenchContext.Progress($"endpoint changes: {options.Changes} additions and removals on {ProxyObjects.FlipService} {flip}");
            var (added, removed) = await MeasureChangesAsync(objects, backends.Keys.ToList(), flip, options.Changes).ConfigureAwait(false);
            BenchContext.Progress(string.Create(CultureInfo.InvariantCulture,
                $"endpoint added → in force p50/p99 {added.P50:0}/{added.P99:0} ms; removed → in force p50/p99 {removed.P50:0}/{removed.P99:0} ms"));
            return new ProxyMeasurements(directLatency, clusterLatency, directThroughput, clusterThroughput, added, removed, seen);
        }
        finally
        {
            await objects.DeleteNamespaceAsync(CancellationToken.None).ConfigureAwait(false);
            await WaitForPodsGoneAsync(objects).ConfigureAwait(false);
            var exit = await cluster.StopAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (exit != 0)
            {
                findings.Add($"gantry up exited with code {exit} after SIGTERM. {cluster.LogTail()}");
            }
        }
    }

    private static async Task<Dictionary<string, IPAddress>> StartBackendsAsync(ProxyObjects objects, int count)
    {
        var names = Enumerable.Range(0, count).Select(ProxyObjects.BackendName).ToList();
        foreach (var name in names)
        {
            await objects.CreateBackendAsync(name, CancellationToken.None).ConfigureAwait(false);
        }

        var ips = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (ips.Count < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"only {ips.Count} of {count} backends were Running after 120 s");
            }

            foreach (var name in names.Where(n => !ips.ContainsKey(n)))
            {
                if (await objects.RunningPodIpAsync(name, CancellationToken.None).ConfigureAwait(false) is { } ip)
                {
                    ips[name] = ip;
                }
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        return ips;
    }

    /// <summary>GETs through the ClusterIP until every backend has answered (the proxy has them all), bounded.</summary>
    private static async Task<Dictionary<string, int>> WaitForAllBackendsAsync(IPEndPoint service, int backends)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (seen.Count < backends || seen.Values.Sum() < 50)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the ClusterIP {service} reached only {string.Join(", ", seen.Keys)} within 60 s");
            }

            try
            {
                var name = await HttpProbe.GetAsync(service, CancellationToken.None).ConfigureAwait(false);
                seen[name] = seen.GetValueOrDefault(name) + 1;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        return seen;
    }

    private static async Task<(LatencyStats Direct, LatencyStats ClusterIp)> MeasureLatencyAsync(List<IPEndPoint> direct, IPEndPoint service, int requests)
    {
        var directTicks = new List<long>(requests);
        var serviceTicks = new List<long>(requests);
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await HttpProbe.GetAsync(direct[i % direct.Count], CancellationToken.None).ConfigureAwait(false);
            directTicks.Add(Stopwatch.GetTimestamp() - start);
            start = Stopwatch.GetTimestamp();
            await HttpProbe.GetAsync(service, CancellationToken.None).ConfigureAwait(false);
            serviceTicks.Add(Stopwatch.GetTimestamp() - start);
        }

        return (LatencyStats.FromTicks(directTicks), LatencyStats.FromTicks(serviceTicks));
    }

    /// <summary>
    /// Labels a backend into the flip Service's selector and times, from the PATCH being sent, until a
    /// connection to its ClusterIP is accepted (rules in force); then labels it out and times until a
    /// connection is refused again. Covers the whole path: API write, EndpointSlice controller, proxy.
    /// </summary>
    private static async Task<(LatencyStats Added, LatencyStats Removed)> MeasureChangesAsync(ProxyObjects objects, List<string> pods, IPEndPoint flip, int changes)
    {
        var added = new List<long>(changes);
        var removed = new List<long>(changes);
        for (var i = 0; i < changes; i++)
        {
            var pod = pods[i % pods.Count];
            added.Add(await TimeUntilAsync(() => objects.FlipAsync(pod, true, CancellationToken.None), flip, accepting: true).ConfigureAwait(false));
            removed.Add(await TimeUntilAsync(() => objects.FlipAsync(pod, false, CancellationToken.None), flip, accepting: false).ConfigureAwait(false));
        }

        return (LatencyStats.FromTicks(added), LatencyStats.FromTicks(removed));
    }

    private static async Task<long> TimeUntilAsync(Func<Task> change, IPEndPoint target, bool accepting)
    {
        var start = Stopwatch.GetTimestamp();
        await change().ConfigureAwait(false);
        while (await HttpProbe.AcceptsAsync(target, CancellationToken.None).ConfigureAwait(false) != accepting)
        {
            if (Stopwatch.GetElapsedTime(start) > ChangePatience)
            {
                throw new TimeoutException($"{target} still {(accepting ? "refused" : "accepted")} connections {ChangePatience.TotalSeconds:0} s after the change");
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    private static async Task WaitForPodsGoneAsync(ProxyObjects objects)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                if (await objects.PodCountAsync(CancellationToken.None).ConfigureAwait(false) == 0)
                {
                    return;
                }
            }
            catch (BenchRequestException)
            {
                return;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }
    }
}
