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

    public void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var spec = pod.Pod.Spec.Affinity;
        var affinity = spec?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        var anti = spec?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        var preferred = (spec?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => (w.PodAffinityTerm, w.Weight))
            .Concat((spec?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => (w.PodAffinityTerm, Weight: -w.Weight)))
            .ToList();
        var state = new State(
            [.. affinity.Select(_ => new HashSet<string>(StringComparer.Ordinal))],
            [.. anti.Select(_ => new HashSet<string>(StringComparer.Ordinal))],
            new Dictionary<string, HashSet<string>>(StringComparer.Ordinal),
            [.. preferred.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))],
            affinity.Select(t => PodAffinityTerms.Selects(t, pod.Pod, pod.Pod)).ToList());
        var looksAtPods = affinity.Count > 0 || anti.Count > 0 || preferred.Count > 0;
        var termPairs = looksAtPods
            ? affinity.Concat(anti).Concat(preferred.Select(p => p.PodAffinityTerm)).Select(PodAffinityTerms.LabelPairs).ToArray()
            : [];
        foreach (var node in nodes)
        {
            var guards = node.AntiAffinityPods;
            for (var g = 0; g < guards.Count; g++)
            {
                var other = guards[g];
                foreach (var term in other.Spec.Affinity!.PodAntiAffinity!.RequiredDuringSchedulingIgnoredDuringExecution)
                {
                    if (PodAffinityTerms.Selects(term, other, pod.Pod) && PodAffinityTerms.Domain(node, term.TopologyKey) is { } domain)
                    {
                        if (!state.ExistingAntiAffinity.TryGetValue(term.TopologyKey, out var domains))
                        {
                            domains = new HashSet<string>(StringComparer.Ordinal);
                            state.ExistingAntiAffinity[term.TopologyKey] = domains;
                        }

                        domains.Add(domain);
                    }
                }
            }

            if (!looksAtPods)
            {
                continue;
            }

            if (!MayMatchAny(termPairs, node))
            {
                continue;
            }

            foreach (var other in node.Pods)
            {
                Count(affinity, pod.Pod, other, node, state.AffinityDomains);
                Count(anti, pod.Pod, other, node, state.AntiAffinityDomains);
                for (var i = 0; i < preferred.Count; i++)
                {
                    if (PodAffinityTerms.Selects(preferred[i].PodAffinityTerm, pod.Pod, other) && PodAffinityTerms.Domain(node, preferred[i].PodAffinityTerm.TopologyKey) is { } domain)
                    {
                        state.PreferredCounts[i][domain] = state.PreferredCounts[i].GetValueOrDefault(domain) + preferred[i].Weight;
                    }
                }
            }
        }

        pod.SetState(Name, state with { Affinity = affinity, AntiAffinity = anti, Preferred = preferred });
    }

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        var state = pod.State<State>(Name);
        foreach (var (key, domains) in state.ExistingAntiAffinity)
        {
            if (PodAffinityTerms.Domain(node, key) is { } domain && domains.Contains(domain))
            {
                return [ExistingAntiAffinityReason];
            }
        }

        for (var i = 0; i < state.Affinity.Count; i++)
        {
            var domain = PodAffinityTerms.Domain(node, state.Affinity[i].TopologyKey);
            var noneAnywhere = state.AffinityDomains[i].Count == 0;
            // The first pod of a group that selects itself may go anywhere the topology key exists.
            var allowed = domain is not null && (state.AffinityDomains[i].Contains(domain) || (noneAnywhere && state.SelectsItself[i]));
            if (!allowed)
            {
                return [AffinityReason];
            }
        }

        for (var i = 0; i < state.AntiAffinity.Count; i++)
        {
            if (PodAffinityTerms.Domain(node, state.AntiAffinity[i].TopologyKey) is { } domain && state.AntiAffinityDomains[i].Contains(domain))
            {
                return [AntiAffinityReason];
            }
        }

        return [];
    }

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
            if (PodAffinityTerms.Domain(node, state.Preferred[i].Term.TopologyKey) is { } domain)
            {
                total += state.PreferredCounts[i].GetValueOrDefault(domain);
            }
        }

        var scale = state.Preferred.Sum(p => Math.Abs(p.Weight));
        return Math.Clamp(50 + (total * 50 / Math.Max(1, scale)), 0, 100);
    }

    private static bool MayMatchAny(string[][] termPairs, NodeInfo node)
    {
        foreach (var pairs in termPairs)
        {
            if (PodAffinityTerms.MayMatchOn(pairs, node))
            {
                return true;
            }
        }

        return false;
    }

    private static void Count(IList<V1PodAffinityTerm> terms, V1Pod pod, V1Pod other, NodeInfo node, List<HashSet<string>> domains)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (PodAffinityTerms.Selects(terms[i], pod, other) && PodAffinityTerms.Domain(node, terms[i].TopologyKey) is { } domain)
            {
                domains[i].Add(domain);
            }
        }
    }

    private sealed record State(
        List<HashSet<string>> AffinityDomains,
        List<HashSet<string>> AntiAffinityDomains,
        Dictionary<string, HashSet<string>> ExistingAntiAffinity,
        List<Dictionary<string, int>> PreferredCounts,
        List<bool> SelectsItself)
    {
        public IList<V1PodAffinityTerm> Affinity { get; init; } = [];

        public IList<V1PodAffinityTerm> AntiAffinity { get; init; } = [];

        public List<(V1PodAffinityTerm Term, int Weight)> Preferred { get; init; } = [];
    }
}
