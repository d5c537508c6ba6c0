using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// Required pod affinity (the node's topology domain must already run a pod the term selects),
/// required pod anti-affinity (it must not), and the anti-affinity of pods already placed, which
/// keeps away pods they select. Preferred terms add or subtract their weights in the score.
/// </summary>
public sealed class InterPodAffinity : IPreFilterPlugin, IFilterPlugin, IScorePlugin
{
    public const string AffinityReason = "node(s) didn't match pod affinity rules";
    public const string AntiAffinityReason = "node(s) didn't match pod anti-affinity rules";
    public const string ExistingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules";

    public string Name => nameof(InterPodAffinity);

    public int Weight => 2;

    /// <summary>
    /// Reads what the pod's terms and the placed pods' anti-affinity select from the snapshot's
    /// <see cref="PodAffinityIndex"/> (built here when given a plain list of nodes).
    /// </summary>
    public void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var index = nodes is NodeSnapshot snapshot ? snapshot.Affinity : PodAffinityIndex.Of(nodes);
        var spec = pod.Pod.Spec.Affinity;
        var affinity = spec?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        var anti = spec?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        var preferred = (spec?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => (w.PodAffinityTerm, w.Weight))
            .Concat((spec?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => (w.PodAffinityTerm, Weight: -w.Weight)))
            .ToList();
        pod.SetState(Name, new State(
            index,
            [.. affinity.Select(t => index.Matching(t, pod.Pod))],
            [.. anti.Select(t => index.Matching(t, pod.Pod))],
            index.AntiAffinitySelecting(pod.Pod),
            [.. preferred.Select(p => index.Matching(p.PodAffinityTerm, pod.Pod))],
            [.. affinity.Select(t => PodAffinityTerms.Selects(t, pod.Pod, pod.Pod))])
        {
            Affinity = affinity,
            AntiAffinity = anti,
            Preferred = preferred,
        });
    }

    /// <summary>
    /// Checks in kube-scheduler's order, which decides the reason shown when several fail: the pod's affinity, then its
    /// anti-affinity, then the anti-affinity of the pods already placed.
    /// </summary>
    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        var state = pod.State<State>(Name);
        for (var i = 0; i < state.Affinity.Count; i++)
        {
            var domain = node.DomainId(state.Index, state.Affinity[i].TopologyKey);
            var noneAnywhere = !state.AffinityDomains[i].Any;
            // The first pod of a group that selects itself may go anywhere the topology key exists.
            var allowed = domain >= 0 && (state.AffinityDomains[i].At(domain) > 0 || (noneAnywhere && state.SelectsItself[i]));
            if (!allowed)
            {
                return [AffinityReason];
            }
        }

        for (var i = 0; i < state.AntiAffinity.Count; i++)
        {
            if (state.AntiAffinityDomains[i].At(node.DomainId(state.Index, state.AntiAffinity[i].TopologyKey)) > 0)
            {
                return [AntiAffinityReason];
            }
        }

        for (var i = 0; i < state.ExistingAntiAffinity.Count; i++)
        {
            var (key, domains) = state.ExistingAntiAffinity[i];
            if (domains.At(node.DomainId(state.Index, key)) > 0)
            {
                return [ExistingAntiAffinityReason];
            }
        }

        return [];
    }

    /// <summary>Evictions cannot bring a pod the node's domain lacks; they can take away the pods an anti-affinity rule is about.</summary>
    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => !reasons.Contains(AffinityReason);

    public bool SkipsFilter(PodInfo pod)
    {
        var state = pod.State<State>(Name);
        return state.ExistingAntiAffinity.Count == 0 && state.Affinity.Count == 0 && state.AntiAffinity.Count == 0;
    }

    public bool SkipsScore(PodInfo pod) => pod.State<State>(Name).Preferred.Count == 0;

    public int Score(PodInfo pod, NodeInfo node)
    {
        var state = pod.State<State>(Name);
        if (state.Preferred.Count == 0)
        {
            return 0;
        }

        var total = 0;
        for (var i = 0; i < state.Preferred.Count; i++)
        {
            total += state.Preferred[i].Weight * state.PreferredCounts[i].At(node.DomainId(state.Index, state.Preferred[i].Term.TopologyKey));
        }

        var scale = state.Preferred.Sum(p => Math.Abs(p.Weight));
        return Math.Clamp(50 + (total * 50 / Math.Max(1, scale)), 0, 100);
    }

    private sealed record State(
        PodAffinityIndex Index,
        List<DomainCounts> AffinityDomains,
        List<DomainCounts> AntiAffinityDomains,
        IReadOnlyList<(string TopologyKey, DomainTally Domains)> ExistingAntiAffinity,
        List<DomainCounts> PreferredCounts,
        List<bool> SelectsItself)
    {
        public IList<V1PodAffinityTerm> Affinity { get; init; } = [];

        public IList<V1PodAffinityTerm> AntiAffinity { get; init; } = [];

        public List<(V1PodAffinityTerm Term, int Weight)> Preferred { get; init; } = [];
    }
}
