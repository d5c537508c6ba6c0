using System.Diagnostics;
using System.Globalization;
using Gantry.Bench.Measurement;
using Gantry.Server.Kernel;
using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// The scheduler alone, in-process, no API: the default <see cref="SchedulingFramework"/> decides
/// for each pod in turn over N nodes, and each placement is added to its node (as the pod scheduler
/// does between decisions), so later pods see earlier ones. With <c>--create rc</c> the pods are owned by a
/// controller, as the replication controllers' pods are, which SelectorSpread scores. A second pass with every
/// plugin timed says where the time goes.
/// </summary>
internal static class FrameworkRun
{
    public static IEnumerable<string> Measure(SchedulingOptions options)
    {
        var pods = Enumerable.Range(0, options.Pods)
            .Select(i => options.ThroughReplicationControllers ? BenchPods.CreateOwned(i, options) : BenchPods.Create(i, options)).ToList();
        var (placed, wall, latency, _) = Place(SchedulingFramework.Default(), pods, options);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"| framework alone | {options.Nodes} | {options.Pods} | {(options.AntiAffinity ? "yes" : "no")} | {placed} | {wall.TotalSeconds:0.00} s | **{placed / wall.TotalSeconds:0}** | {latency.P50:0.000} | {latency.P99:0.000} |");

        var timed = new Dictionary<object, TimedPlugin>(ReferenceEqualityComparer.Instance);
        TimedPlugin Wrap(object plugin) => timed.TryGetValue(plugin, out var t) ? t : timed[plugin] = new TimedPlugin(plugin);
        var affinity = new NodeAffinity();
        var taints = new TaintToleration();
        var podAffinity = new InterPodAffinity();
        var spread = new PodTopologySpread();
        // The plugins of SchedulingFramework.Default(), in its order, each wrapped in a timer.
        var framework = new SchedulingFramework(
            [.. new object[] { new NodeName(), new NodeUnschedulable(), new NodeResourcesFit(), affinity, taints, new NodePorts(), podAffinity, spread }.Select(Wrap)],
            [.. new object[] { new LeastAllocated(), new BalancedAllocation(), affinity, taints, podAffinity, spread, new SelectorSpread() }.Select(Wrap)]);
        var (_, timedWall, _, placing) = Place(framework, pods, options);
        var total = timedWall.TotalMilliseconds;
        yield return "";
        yield return string.Create(CultureInfo.InvariantCulture, $"Where the framework's time goes (timed pass, {timedWall.TotalSeconds:0.00} s wall):");
        yield return "";
        yield return "| plugin | PreFilter ms | Filter ms | Score ms | share of wall |";
        yield return "|---|---:|---:|---:|---:|";
        foreach (var plugin in timed.Values.OrderByDescending(p => p.PreFilterTicks + p.FilterTicks + p.ScoreTicks))
        {
            var ms = LatencyStats.ToMilliseconds(plugin.PreFilterTicks + plugin.FilterTicks + plugin.ScoreTicks);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {plugin.Name} | {LatencyStats.ToMilliseconds(plugin.PreFilterTicks):0} | {LatencyStats.ToMilliseconds(plugin.FilterTicks):0} | {LatencyStats.ToMilliseconds(plugin.ScoreTicks):0} | {ms / total:P0} |");
        }

        yield return "";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Placing the chosen pods on the node snapshot (its affinity index kept in step): {LatencyStats.ToMilliseconds(placing):0} ms, {LatencyStats.ToMilliseconds(placing) / total:P0} of wall.");
    }

    private static (int Placed, TimeSpan Wall, LatencyStats Latency, long PlaceTicks) Place(SchedulingFramework framework, List<V1Pod> pods, SchedulingOptions options)
    {
        var allocatable = ResourceVector.From(new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("4"), ["memory"] = new("16Gi"), ["pods"] = new("110"),
        });
        var nodes = new NodeSnapshot(Enumerable.Range(0, options.Nodes).Select(i => new NodeInfo(Node(i), allocatable, allocatable, [])));
        var latencies = new List<long>(pods.Count);
        var placed = 0;
        long placeTicks = 0;
        var clock = Stopwatch.StartNew();
        foreach (var template in pods)
        {
            var start = Stopwatch.GetTimestamp();
            var info = PodInfo.Of(template);
            var decision = framework.Schedule(info, nodes);
            if (decision.Node is { } name)
            {
                var pod = new V1Pod { Metadata = template.Metadata, Spec = template.Spec, Status = template.Status };
                var placing = Stopwatch.GetTimestamp();
                nodes.Place(name, pod, info.Requests);
                placeTicks += Stopwatch.GetTimestamp() - placing;
                placed++;
            }

            latencies.Add(Stopwatch.GetTimestamp() - start);
        }

        return (placed, clock.Elapsed, LatencyStats.FromTicks(latencies), placeTicks);
    }

    private static V1Node Node(int i)
    {
        var name = "hollow-node-" + i.ToString(CultureInfo.InvariantCulture);
        return new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux" },
            },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus(),
        };
    }
}
