using Gantry.Server.Scheduling.Plugins;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Runs the filter plugins over the nodes, then the score plugins over the feasible ones, and picks
/// the best. In large clusters it stops looking once it has found enough feasible nodes, starting
/// each search where the last one stopped, as kube-scheduler's percentageOfNodesToScore does.
/// The same pod and nodes give the same decision, given where the last search stopped. Not thread-safe: each
/// scheduling loop has its own.
/// </summary>
public sealed class SchedulingFramework(IReadOnlyList<IFilterPlugin> filters, IReadOnlyList<IScorePlugin> scores)
{
    // Arrays: the loops below run for every examined node of every decision, and an interface's enumerator is an allocation.
    private readonly IFilterPlugin[] _filters = [.. filters];
    private readonly IScorePlugin[] _scores = [.. scores];
    private readonly IPreFilterPlugin[] _preFilters = [.. filters.OfType<IPreFilterPlugin>().Concat(scores.OfType<IPreFilterPlugin>()).Distinct()];

    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentageToFind = 5;

    /// <summary>How many nodes ahead of the one being filtered are fetched into the cache.</summary>
    private const int PrefetchDistance = 4;

    private static readonly IReadOnlyDictionary<string, int> NoScores = new Dictionary<string, int>();

    private int _nextStart;

    // The feasible nodes of the decision under way: a list of hundreds, which each decision would otherwise allocate.
    private readonly List<NodeInfo> _feasible = [];

    /// <summary>
    /// kube-scheduler's default plugins; with <paramref name="storage"/>, also the volume binding checks of a pod's
    /// PersistentVolumeClaims (without it, as in the benches and unit tests, claims are not looked at).
    /// </summary>
    public static SchedulingFramework Default(IStorageView? storage = null)
    {
        var affinity = new NodeAffinity();
        var taints = new TaintToleration();
        var podAffinity = new InterPodAffinity();
        var spread = new PodTopologySpread();
        IFilterPlugin[] filters = [new NodeName(), new NodeUnschedulable(), new NodeResourcesFit(), affinity, taints, new NodePorts(), podAffinity, spread];
        return new SchedulingFramework(
            storage is null ? filters : [.. filters, new VolumeBinding(storage)],
            [new LeastAllocated(), new BalancedAllocation(), affinity, taints, podAffinity, spread, new SelectorSpread()]);
    }

    /// <summary>The framework's filter plugin of type <typeparamref name="T"/>, if it has one.</summary>
    public T? Filter<T>() where T : class, IFilterPlugin => Array.Find(_filters, f => f is T) as T;

    /// <summary>Decides for <paramref name="pod"/>; with <paramref name="explain"/> every node is examined and scored.</summary>
    public SchedulingDecision Schedule(PodInfo pod, IReadOnlyList<NodeInfo> nodes, bool explain = false)
    {
        foreach (var plugin in _preFilters)
        {
            plugin.PreFilter(pod, nodes);
        }

        if (pod.PreFilterRejection is { } rejection && nodes.Count > 0)
        {
            return new SchedulingDecision(null, nodes.Count, []) { PreFilterRejection = rejection };
        }

        // An explanation shows every plugin's verdict and score; a placement asks only those with something to say.
        var filters = explain ? _filters : Array.FindAll(_filters, f => !f.SkipsFilter(pod));
        var scores = explain ? _scores : Array.FindAll(_scores, s => !s.SkipsScore(pod));
        var wanted = explain ? nodes.Count : FeasibleNodesToFind(nodes.Count);
        var verdicts = new List<NodeVerdict>();
        var feasible = _feasible;
        feasible.Clear();
        var start = nodes.Count == 0 ? 0 : _nextStart % nodes.Count;
        var examined = 0;
        // Indices wrap by comparison, not division: this loop runs for hundreds of nodes per decision.
        var index = start;
        var ahead = nodes.Count == 0 ? 0 : (start + PrefetchDistance) % nodes.Count;
        for (; examined < nodes.Count && feasible.Count < wanted; examined++)
        {
            MemoryPrefetch.Object(nodes[ahead]);
            ahead = ahead + 1 == nodes.Count ? 0 : ahead + 1;
            var node = nodes[index];
            index = index + 1 == nodes.Count ? 0 : index + 1;
            var refusal = Refusal(filters, pod, node);
            if (refusal is null)
            {
                feasible.Add(node);
            }
            else
            {
                verdicts.Add(new NodeVerdict(node.Name, refusal.Value.Plugin, refusal.Value.Reasons, NoScores, 0));
            }
        }

        _nextStart = start + examined;
        string? best = null;
        var bestTotal = long.MinValue;
        foreach (var node in feasible)
        {
            // Per-plugin scores are kept only for an explanation: a placement needs the total alone.
            var perPlugin = explain ? new Dictionary<string, int>(scores.Length) : null;
            long total = 0;
            foreach (var score in scores)
            {
                var value = score.Score(pod, node);
                perPlugin?.Add(score.Name, value);
                total += (long)value * score.Weight;
            }

            if (perPlugin is not null)
            {
                verdicts.Add(new NodeVerdict(node.Name, null, [], perPlugin, total));
            }

            if (total > bestTotal)
            {
                best = node.Name;
                bestTotal = total;
            }
        }

        feasible.Clear();
        return new SchedulingDecision(best, nodes.Count, verdicts);
    }

    /// <summary>
    /// Why the first filter to refuse the pod the node does so, or nothing when the pod fits (PreFilter state is computed
    /// afresh, for a hypothetical node).
    /// </summary>
    public IReadOnlyList<string> ReasonsRefusing(PodInfo pod, NodeInfo node, IReadOnlyList<NodeInfo> nodes)
    {
        var fresh = PodInfo.Of(pod.Pod);
        var view = nodes.Select(n => n.Name == node.Name ? node : n).ToList();
        foreach (var plugin in _filters.OfType<IPreFilterPlugin>())
        {
            plugin.PreFilter(fresh, view);
        }

        return fresh.PreFilterRejection is { } rejection ? [rejection] : Refusal(_filters, fresh, node)?.Reasons ?? [];
    }

    /// <summary>Whether evicting pods could lift the refusal in <paramref name="verdict"/>, as the refusing plugin judges.</summary>
    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, NodeVerdict verdict) =>
        Array.Find(_filters, f => f.Name == verdict.RefusedBy)?.EvictionMayResolve(pod, node, verdict.Reasons) ?? false;

    private static (string Plugin, IReadOnlyList<string> Reasons)? Refusal(IFilterPlugin[] filters, PodInfo pod, NodeInfo node)
    {
        foreach (var filter in filters)
        {
            var reasons = filter.Filter(pod, node);
            if (reasons.Count > 0)
            {
                return (filter.Name, reasons);
            }
        }

        return null;
    }

    private static int FeasibleNodesToFind(int nodes)
    {
        if (nodes < MinFeasibleNodesToFind)
        {
            return nodes;
        }

        var percentage = Math.Max(MinFeasibleNodesPercentageToFind, 50 - (nodes / 125));
        return Math.Max(MinFeasibleNodesToFind, nodes * percentage / 100);
    }
}
