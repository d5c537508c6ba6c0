using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Gantry.Agent;
using Gantry.Agent.Simulated;
using Gantry.Bench.Measurement;
using Gantry.Harness;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// End to end: a fresh <c>gantry server</c> process, N simulated nodes in this process, M pods
/// created through the API with bounded concurrency (or by replication controllers the bench creates), and a
/// watch that sees each pod bound and then Running (the simulated node's status patch). Placements per second
/// run from the first create to the last bind; the steady rate is between the 10th and 90th percentile binds.
/// A pod a controller made counts as created when the watch first sees it.
/// </summary>
internal static class ApiRun
{
    /// <summary>The floor runs as this bench's executable, whose collector settings are a load generator's; these are gantry's.</summary>
    private static readonly Dictionary<string, string> FloorEnvironment = new(StringComparer.Ordinal)
    {
        ["DOTNET_GCDynamicAdaptationMode"] = "1",
    };

    public static async Task<List<string>> MeasureAsync(SchedulingOptions options, string binary, string dataDirectory)
    {
        var lines = new List<string>();
        using var server = options.ProtocolFloor
            ? await GantryProcess.StartAsync(Environment.ProcessPath!, dataDirectory, FreePort.Next(), TimeSpan.FromSeconds(60), FloorEnvironment, "floor-server", options.Server == "floor-store" ? ["--store"] : []).ConfigureAwait(false)
            : await GantryProcess.StartAsync(binary, dataDirectory, FreePort.Next(), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        Progress($"{(options.ProtocolFloor ? "protocol " + options.Server : "gantry server")} pid {server.Pid} at {server.BaseAddress}");
        var pki = Path.Combine(dataDirectory, "pki");
        var agent = new AgentOptions(server.BaseAddress, File.ReadAllText(Path.Combine(pki, "admin.token")).Trim(), File.ReadAllText(Path.Combine(pki, "ca.crt")), "bench", dataDirectory);
        using var client = ApiClientFactory.Create(agent);
        using var fleetClient = ApiClientFactory.Create(agent);
        using var fleetHttp = ApiClientFactory.CreateHttp(agent);
        using var cancel = new CancellationTokenSource();
        var ct = cancel.Token;

        var registration = Stopwatch.StartNew();
        await using var fleet = new SimulatedNodeFleet(fleetClient, fleetHttp, new SimulatedFleetOptions(options.Nodes, Parallelism: 64), NullLoggerFactory.Instance, TimeProvider.System);
        await fleet.StartAsync(ct).ConfigureAwait(false);
        await fleet.Synced.ConfigureAwait(false);
        registration.Stop();
        Progress($"{options.Nodes} simulated nodes registered in {registration.Elapsed.TotalSeconds:0.0} s");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = BenchPods.Namespace } }, cancellationToken: ct).ConfigureAwait(false);
        // The scheduler learns of nodes from its informer; let the last registrations reach it.
        await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);

        var created = new long[options.Pods];
        var bound = new long[options.Pods];
        var running = new long[options.Pods];
        var boundCount = 0;
        var runningCount = 0;
        var allBound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var list = await client.CoreV1.ListNamespacedPodAsync(BenchPods.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var controllerPods = new Dictionary<string, int>(StringComparer.Ordinal);
        // The watch reads each event's line for the few fields it needs (PodWatchEvent), on a connection of its own.
        using var watchClient = ClusterClient.Create(server, 1, HttpVersion.Version11, Timeout.InfiniteTimeSpan);
        var watch = Task.Run(async () =>
        {
            var resourceVersion = list.Metadata.ResourceVersion;
            while (!ct.IsCancellationRequested)
            {
                var path = $"api/v1/namespaces/{BenchPods.Namespace}/pods?watch=true&allowWatchBookmarks=true&resourceVersion={resourceVersion}";
                using var response = await watchClient.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await new WatchLineReader(stream).ReadAsync(line =>
                {
                    var pod = PodWatchEvent.Parse(line);
                    resourceVersion = pod.ResourceVersion ?? resourceVersion;
                    if (pod.Name is not { } name || !name.StartsWith("sched-", StringComparison.Ordinal))
                    {
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    int i;
                    if (!options.ThroughReplicationControllers)
                    {
                        i = int.Parse(name.AsSpan(6), CultureInfo.InvariantCulture);
                    }
                    else if (!controllerPods.TryGetValue(name, out i))
                    {
                        if (controllerPods.Count == options.Pods)
                        {
                            return;
                        }

                        i = controllerPods[name] = controllerPods.Count;
                        created[i] = now;
                    }

                    if (pod.NodeName is { Length: > 0 } && Interlocked.CompareExchange(ref bound[i], now, 0) == 0 && Interlocked.Increment(ref boundCount) == options.Pods)
                    {
                        allBound.TrySetResult();
                    }

                    if (pod.Phase == "Running" && Interlocked.CompareExchange(ref running[i], now, 0) == 0 && Interlocked.Increment(ref runningCount) == options.Pods)
                    {
                        allRunning.TrySetResult();
                    }
                }, ct).ConfigureAwait(false);
            }
        }, ct);

        // The creators send what client-go's Create sends (the pod as JSON over HTTP/2) and read the answer's status
        // alone: decoding each created pod into a typed object was 5.6 % of this process's CPU, on the two cores the
        // server runs on.
        using var createClient = ClusterClient.Create(server, 1, HttpVersion.Version20, TimeSpan.FromSeconds(100));
        var podsPath = new Uri($"api/v1/namespaces/{BenchPods.Namespace}/pods", UriKind.Relative);
        var cpu = new CpuMeter(server.Pid);
        var createErrors = 0;
        var start = Stopwatch.GetTimestamp();
        var creating = options.ThroughReplicationControllers
            ? CreateReplicationControllersAsync(client, options, ct)
            : Parallel.ForEachAsync(Enumerable.Range(0, options.Pods), new ParallelOptions { MaxDegreeOfParallelism = options.Creators, CancellationToken = ct }, async (i, token) =>
        {
            var pod = BenchPods.Create(i, options);
            created[i] = Stopwatch.GetTimestamp();
            using var content = new StringContent(KubernetesJson.Serialize(pod), Encoding.UTF8, "application/json");
            try
            {
                using var response = await createClient.PostAsync(podsPath, content, token).ConfigureAwait(false);
                await response.Content.LoadIntoBufferAsync(token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref createErrors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref createErrors);
            }
        });
        await creating.ConfigureAwait(false);
        var createdWall = Stopwatch.GetElapsedTime(start);
        Progress(options.ThroughReplicationControllers
            ? $"replication controllers created; {Volatile.Read(ref boundCount)} pods bound so far"
            : $"{options.Pods} pods created in {createdWall.TotalSeconds:0.0} s ({createErrors} errors); {Volatile.Read(ref boundCount)} bound so far");
        var timeout = Task.Delay(options.Timeout, ct);
        await Task.WhenAny(allBound.Task, timeout).ConfigureAwait(false);
        var boundWall = Stopwatch.GetElapsedTime(start);
        var usage = cpu.Stop();
        Progress($"{Volatile.Read(ref boundCount)} bound in {boundWall.TotalSeconds:0.0} s; waiting for Running");
        await Task.WhenAny(allRunning.Task, Task.Delay(TimeSpan.FromSeconds(120), ct)).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var binds = bound.Where(b => b != 0).Order().ToList();
        var firstCreate = options.ThroughReplicationControllers ? start : created.Where(c => c != 0).DefaultIfEmpty(start).Min();
        var wall = binds.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(firstCreate, binds[^1]);
        var (low, high) = (binds.Count * 10 / 100, (binds.Count * 90 / 100) - 1);
        var steady = high > low ? (high - low) / Stopwatch.GetElapsedTime(binds[low], binds[high]).TotalSeconds : double.NaN;
        var toBound = LatencyStats.FromTicks([.. Enumerable.Range(0, options.Pods).Where(i => bound[i] != 0).Select(i => bound[i] - created[i])]);
        var toRunning = LatencyStats.FromTicks([.. Enumerable.Range(0, options.Pods).Where(i => running[i] != 0).Select(i => running[i] - created[i])]);
        var lastRunning = running.Where(r => r != 0).DefaultIfEmpty(firstCreate).Max();
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {options.Server switch { "floor" => "protocol floor (API)", "floor-store" => "protocol floor + gantry's store (API)", _ => "end to end (API)" }} | {options.Nodes} | {options.Pods} | {(options.AntiAffinity ? "yes" : "no")} | {binds.Count} | {wall.TotalSeconds:0.00} s | **{binds.Count / wall.TotalSeconds:0}** (steady {steady:0}) | {toBound.P50:0.0} | {toBound.P99:0.0} |"));
        lines.Add("");
        var creation = options.ThroughReplicationControllers
            ? string.Create(CultureInfo.InvariantCulture, $"pods created by {BenchPods.ReplicationControllers(options).Count()} replication controller(s), the last seen {Stopwatch.GetElapsedTime(start, created.Max()).TotalSeconds:0.00} s after the first create")
            : string.Create(CultureInfo.InvariantCulture, $"creates took {createdWall.TotalSeconds:0.00} s ({options.Pods / createdWall.TotalSeconds:0}/s, {options.Creators} concurrent, {createErrors} errors)");
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"End to end details: {creation}; " +
            $"{toRunning.Count} Running, last {Stopwatch.GetElapsedTime(firstCreate, lastRunning).TotalSeconds:0.00} s after the first create, create→Running p50 {toRunning.P50:0.0} ms p99 {toRunning.P99:0.0} ms; " +
            $"CPU cores while placing: server {usage.ServerCores:0.00}, bench (creators + watch + {options.Nodes} simulated nodes) {usage.ClientCores:0.00}, other {usage.OtherCores:0.00}; " +
            $"simulated nodes sent {fleet.StatusReports} pod status patches, {fleet.LeaseRenewals} lease renewals, {fleet.Failures} failed requests; " +
            $"{options.Nodes} nodes registered in {registration.Elapsed.TotalSeconds:0.0} s."));
        return lines;
    }

    private static async Task CreateReplicationControllersAsync(k8s.Kubernetes client, SchedulingOptions options, CancellationToken cancellationToken)
    {
        foreach (var controller in BenchPods.ReplicationControllers(options))
        {
            await client.CoreV1.CreateNamespacedReplicationControllerAsync(controller, BenchPods.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Progress(string line) => BenchContext.Progress(line);
}
