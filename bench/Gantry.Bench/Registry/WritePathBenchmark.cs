using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Agent.Simulated;
using Gantry.Bench.Scheduling;
using Gantry.Core.Resources;
using Gantry.Harness;
using Gantry.Server.Api;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Bench.Registry;

/// <summary>
/// <c>registry</c>: gantry's write path alone, in this process: the registry over its real store and watch cache, as the
/// server composes them, takes each of a pod's three writes in the scheduling bench (the create the bench sends, the
/// scheduler's bind, the simulated node's status patch), one phase at a time from concurrent writers. It reports this
/// process's CPU per write in each phase and how many writes shared a store transaction: gantry's own work per pod, with
/// no HTTP, TLS, informers, scheduling decision or load generator on the same cores. Run it with gantry's collector
/// settings (<c>DOTNET_GCDynamicAdaptationMode=1</c>): this executable's own are a load generator's.
/// </summary>
internal static class WritePathBenchmark
{
    public const string Usage =
        """
        usage: Gantry.Bench registry [flags]
          --pods N               pods written in each round (default 20000)
          --rounds N             rounds, each with pods of its own; each phase reports its median (default 3)
          --writers N            concurrent writers (default 64)
          --steps                instead, each step of the three writes on one thread, timed (WriteSteps)
          --data-root DIR        where the store's directory goes (default out/bench-data)
        """;

    private const int Warmup = 2000;

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    /// <summary>The scheduling bench's basic pods.</summary>
    private static readonly SchedulingOptions Shape = new(1, 1, false, 1, 1, false, "gantry", new HashSet<string>(), "", TimeSpan.Zero);

    /// <summary>The managers the server derives from the creators' and the simulated nodes' user agents.</summary>
    private const string Creator = "Gantry.Bench";

    private const string NodeManager = "Gantry.Agent";

    public static async Task<int> RunAsync(string[] args)
    {
        var (pods, rounds, writers) = (20_000, 3, 64);
        string? dataRoot = null;
        var steps = args.Contains("--steps");
        args = [.. args.Where(a => a != "--steps")];
        foreach (var (name, flag) in FlagPairs.Of(args, Usage))
        {
            switch (name)
            {
                case "--pods": pods = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--writers": writers = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--data-root": dataRoot = Path.GetFullPath(flag); break;
                default: throw new ArgumentException($"unknown flag {name}.\n{Usage}");
            }
        }

        dataRoot ??= Path.Combine(GantryBinary.RepositoryRoot(), "out", "bench-data");
        var directory = Path.Combine(dataRoot, "registry-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        try
        {
            await using var store = await SqliteVersionedStore.OpenAsync(Path.Combine(directory, "state.db")).ConfigureAwait(false);
            var cache = new WatchCache(store, ResourceCatalog.KeyPrefixes, ObjectIndex.Build, NullLogger.Instance);
            await cache.StartAsync(CancellationToken.None).ConfigureAwait(false);
            var registry = new ObjectRegistry(store, cache, ResourceRulesCatalog.For, TimeProvider.System);
            await BootstrapObjects.EnsureAsync(registry, CancellationToken.None).ConfigureAwait(false);
            await registry.CreateAsync(ResourceCatalog.Get("", "namespaces"), null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = BenchPods.Namespace } }, WriteOptions.Default, CancellationToken.None).ConfigureAwait(false);

            BenchContext.Progress($"{Warmup} pods to warm up, then {rounds} rounds of {pods} pods: create, bind, status patch; {writers} writers");
            await WritePodsAsync(registry, store, "warm-", Warmup, writers).ConfigureAwait(false);
            if (steps)
            {
                await MeasureStepsAsync(registry).ConfigureAwait(false);
                return 0;
            }

            var measured = new List<Phase[]>();
            for (var round = 0; round < rounds; round++)
            {
                measured.Add(await WritePodsAsync(registry, store, $"r{round}-", pods, writers).ConfigureAwait(false));
            }

            var command = ("dotnet run -c Release --project bench/Gantry.Bench -- registry " + string.Join(' ', args)).TrimEnd();
            Console.Out.WriteLine($"`{command}` (load average at the end: {File.ReadAllText("/proc/loadavg").Trim()})");
            Console.Out.WriteLine();
            Console.Out.WriteLine("| phase | writes per round | writes/s (median) | writes per store transaction (median) | CPU µs per write, each round | CPU µs per write (median) |");
            Console.Out.WriteLine("|---|---:|---:|---:|---|---:|");
            for (var phase = 0; phase < measured[0].Length; phase++)
            {
                var runs = measured.Select(m => m[phase]).ToList();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {runs[0].Name} | {pods} | {Median(runs.Select(r => pods / r.Seconds)):0} | {Median(runs.Select(r => r.WritesPerTransaction)):0.0} | {string.Join(", ", runs.Select(r => r.CpuMicrosPerWrite.ToString("0.0", CultureInfo.InvariantCulture)))} | **{Median(runs.Select(r => r.CpuMicrosPerWrite)):0.0}** |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Takes one pod through its writes for the bytes of each version, then times the steps of each write.</summary>
    private static async Task MeasureStepsAsync(ObjectRegistry registry)
    {
        var pod = BenchPods.Create(0, Shape);
        pod.Metadata.Name = "steps";
        var body = KubernetesJson.Serialize(pod);
        await registry.CreateAsync(Pods, BenchPods.Namespace, JsonNode.Parse(body)!.AsObject(), new WriteOptions(FieldManager: Creator), CancellationToken.None)
            .ConfigureAwait(false);
        var created = registry.Get(Pods, BenchPods.Namespace, "steps")!.Json;
        await PodBinding.BindAsync(registry, BenchPods.Namespace, "steps", Node(0), null, false, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        var bound = registry.Get(Pods, BenchPods.Namespace, "steps")!.Json;
        WriteSteps.Measure(body, created, bound, StatusPatch(bound, 0), Creator, NodeManager);
    }

    /// <summary>The simulated node's patch for the bound pod <paramref name="bound"/>, as its watch decoded it.</summary>
    private static string StatusPatch(byte[] bound, int index)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(Encoding.UTF8.GetString(bound));
        var status = SimulatedPodStatus.Running(pod, "10.128.0." + (index % 250 + 2).ToString(CultureInfo.InvariantCulture), "198.18.0.1", DateTime.UtcNow);
        return KubernetesJson.Serialize(new { status });
    }

    /// <summary>Writes each pod's three writes, a phase at a time.</summary>
    private static async Task<Phase[]> WritePodsAsync(ObjectRegistry registry, SqliteVersionedStore store, string prefix, int pods, int writers)
    {
        var bodies = Enumerable.Range(0, pods).Select(i =>
        {
            var pod = BenchPods.Create(i, Shape);
            pod.Metadata.Name = prefix + i.ToString(CultureInfo.InvariantCulture);
            return KubernetesJson.Serialize(pod);
        }).ToArray();
        var create = await PhaseAsync("create (the bench's POST)", store, pods, writers, async i =>
        {
            var body = JsonNode.Parse(bodies[i])!.AsObject();
            await registry.CreateAsync(Pods, BenchPods.Namespace, body, new WriteOptions(FieldManager: Creator), CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var bind = await PhaseAsync("bind (the scheduler's)", store, pods, writers, i =>
            PodBinding.BindAsync(registry, BenchPods.Namespace, prefix + i.ToString(CultureInfo.InvariantCulture), Node(i), null, false, TimeProvider.System, CancellationToken.None)).ConfigureAwait(false);

        // The simulated node's patch is built from the bound pod as its watch decoded it, outside the measured phase.
        var patches = Enumerable.Range(0, pods)
            .Select(i => StatusPatch(registry.Get(Pods, BenchPods.Namespace, prefix + i.ToString(CultureInfo.InvariantCulture))!.Json, i))
            .ToArray();
        var path = new ResourcePath(Pods, BenchPods.Namespace, null, "status");
        var status = await PhaseAsync("status patch (the simulated node's)", store, pods, writers, async i =>
        {
            var patch = PatchHandler.Patcher("application/merge-patch+json", path, JsonNode.Parse(patches[i])!);
            await registry.MutateAsync(Pods, BenchPods.Namespace, prefix + i.ToString(CultureInfo.InvariantCulture), patch, null, "status", new WriteOptions(FieldManager: NodeManager), CancellationToken.None)
                .ConfigureAwait(false);
        }).ConfigureAwait(false);
        return [create, bind, status];
    }

    private static async Task<Phase> PhaseAsync(string name, SqliteVersionedStore store, int writes, int writers, Func<int, Task> write)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var batches = store.CommittedBatches;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, writes), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, _) => await write(i).ConfigureAwait(false))
            .ConfigureAwait(false);
        clock.Stop();
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        var perBatch = (double)writes / Math.Max(1, store.CommittedBatches - batches);
        BenchContext.Progress($"{name}: {writes / clock.Elapsed.TotalSeconds:0}/s, {used.TotalMicroseconds / writes:0.0} µs of CPU per write, {perBatch:0.0} writes per store transaction");
        return new Phase(name, clock.Elapsed.TotalSeconds, used.TotalMicroseconds / writes, perBatch);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Phase(string Name, double Seconds, double CpuMicrosPerWrite, double WritesPerTransaction);

    private static string Node(int index) => "hollow-" + (index % 5000).ToString(CultureInfo.InvariantCulture);
}
