using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// Topology spread constraints: for a <c>DoNotSchedule</c> constraint a node fits only if placing
/// the pod keeps the count of selected pods in its domain within <c>maxSkew</c> of the emptiest
/// eligible domain; <c>ScheduleAnyway</c> constraints prefer the domains with fewer selected pods.
/// Eligible domains are those of nodes that carry the topology key and match the pod's node
/// selector and required node affinity (the default nodeAffinityPolicy: Honor). With fewer eligible
/// domains than <c>minDomains</c>, the emptiest domain counts as empty, so pods cannot crowd into the
/// domains that exist.
/// </summary>
public sealed class PodTopologySpread : IPreFilterPlugin, IFilterPlugin, IScorePlugin
{
    public const string Reason = "node(s) didn't match pod topology spread constraints";
    public const string MissingLabelReason = "node(s) didn't match pod topology spread constraints (missing required label)";

    private static readonly NodeAffinity Affinity = new();

    public string Name => nameof(PodTopologySpread);

    public int Weight => 2;

    private static readonly State None = new([], [], [], []);

    public void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        if (pod.Pod.Spec.TopologySpreadConstraints is not { Count: > 0 } constraints)
        {
            pod.SetState(Name, None);
            return;
        }

        var counts = new List<Dictionary<string, int>>(constraints.Count);
        var minimums = new List<int>(constraints.Count);
        foreach (var constraint in constraints)
        {
            var selector = LabelSelector.FromModel(constraint.LabelSelector);
            var perDomain = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                if (PodAffinityTerms.Domain(node, constraint.TopologyKey) is not { } domain || Affinity.Filter(pod, node).Count > 0
                    || (constraint.NodeTaintsPolicy == "Honor" && HasUntoleratedTaint(pod, node)))
                {
                    continue;
                }

                perDomain[domain] = perDomain.GetValueOrDefault(domain)
                    + node.Pods.Count(p => p.Namespace() == pod.Pod.Namespace() && selector.Matches(p.Metadata));
            }

            counts.Add(perDomain);
            minimums.Add(GlobalMinimum(constraint, perDomain));
        }

        pod.SetState(Name, new State(constraints, counts,
            [.. constraints.Select(c => LabelSelector.FromModel(c.LabelSelector).Matches(pod.Pod.Metadata) ? 1 : 0)], minimums));
    }

    /// <summary>The count of the emptiest eligible domain: 0 while there are fewer domains than <c>minDomains</c> (default 1).</summary>
    private static int GlobalMinimum(V1TopologySpreadConstraint constraint, Dictionary<string, int> counts) =>
        counts.Count < (constraint.MinDomains ?? 1) ? 0 : counts.Values.Min();

    /// <summary>
    /// <c>nodeTaintsPolicy: Honor</c> leaves out of the skew the nodes with a NoSchedule or NoExecute taint the pod
    /// does not tolerate (upstream's DoNotScheduleTaintsFilterFunc), e.g. an unreachable node whose pods are replaced.
    /// </summary>
    private static bool HasUntoleratedTaint(PodInfo pod, NodeInfo node) =>
        node.Taints.Any(t => t.Effect is "NoSchedule" or "NoExecute" && !Tolerations.Tolerate(pod.Pod.Spec.Tolerations, t));

    public bool SkipsFilter(PodInfo pod) => !pod.State<State>(Name).Constraints.Any(c => c.WhenUnsatisfiable == "DoNotSchedule");

    public bool SkipsScore(PodInfo pod) => !pod.State<State>(Name).Constraints.Any(c => c.WhenUnsatisfiable == "ScheduleAnyway");

    /// <summary>Evictions can even out the domains, but cannot give a node the label that would put it in one.</summary>
    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => !reasons.Contains(MissingLabelReason);

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        var state = pod.State<State>(Name);
        for (var i = 0; i < state.Constraints.Count; i++)
        {
            var constraint = state.Constraints[i];
            if (constraint.WhenUnsatisfiable != "DoNotSchedule")
            {
                continue;
            }

            if (PodAffinityTerms.Domain(node, constraint.TopologyKey) is not { } domain)
            {
                return [MissingLabelReason];
            }

            if (state.Counts[i].GetValueOrDefault(domain) + state.SelfMatches[i] - state.Minimums[i] > constraint.MaxSkew)
            {
                return [Reason];
            }
        }

        return [];
    }

    public int Score(PodInfo pod, NodeInfo node)
    {
        var state = pod.State<State>(Name);
        var soft = 0;
        var score = 0.0;
        for (var i = 0; i < state.Constraints.Count; i++)
        {
            if (state.Constraints[i].WhenUnsatisfiable != "ScheduleAnyway")
            {
                continue;
            }

            soft++;
            var counts = state.Counts[i];
            var max = counts.Count == 0 ? 0 : counts.Values.Max();
            var here = PodAffinityTerms.Domain(node, state.Constraints[i].TopologyKey) is { } domain ? counts.GetValueOrDefault(domain) : max;
            score += max == 0 ? 1 : 1 - ((double)here / (max + 1));
        }

        return soft == 0 ? 0 : (int)(score * 100 / soft);
    }

    private sealed record State(IList<V1TopologySpreadConstraint> Constraints, List<Dictionary<string, int>> Counts, List<int> SelfMatches, List<int> Minimums);
}
