using Gantry.Server.Scheduling.Plugins;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The placed pods as inter-pod affinity asks about them, kept up to date as pods are placed instead of
/// rebuilt per decision (kube-scheduler's incremental topologyToMatchedTermCount): pods by label pair,
/// pods with a label pair counted per topology domain (for each namespace, pair and topology key a
/// term has asked about), and placed pods' required anti-affinity terms grouped and counted per domain.
/// A decision then costs what its terms can select, not every pod on every node.
/// </summary>
public sealed class PodAffinityIndex
{
    /// <summary>The bucket of anti-affinity groups whose term has no <c>matchLabels</c>: every candidate is tested against them.</summary>
    private const string Unbucketed = "";

    private readonly Dictionary<string, IDictionary<string, string>> _nodeLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PlacedPod>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PlacedPod>> _byPair = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Pair), Dictionary<string, DomainTally>> _counts = [];
    private readonly Dictionary<string, Dictionary<string, int>> _domainIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AntiAffinityGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AntiAffinityGroup>> _groupsByPair = new(StringComparer.Ordinal);
    private int _pods;

    public static PodAffinityIndex Of(IEnumerable<NodeInfo> nodes)
    {
        var index = new PodAffinityIndex();
        foreach (var node in nodes)
        {
            index.AddNode(node);
        }

        return index;
    }

    /// <summary>
    /// The id of the domain <paramref name="value"/> of topology key <paramref name="key"/> in this index's tallies
    /// (<see cref="DomainTally.At"/>), given on first ask. Ids count from zero for each key, so that a tally's array is
    /// as long as its key has domains (a zone's tally holds a few, a hostname's one per node).
    /// </summary>
    public int DomainId(string key, string value)
    {
        if (!_domainIds.TryGetValue(key, out var ids))
        {
            ids = new Dictionary<string, int>(StringComparer.Ordinal);
            _domainIds[key] = ids;
        }

        if (!ids.TryGetValue(value, out var id))
        {
            id = ids.Count;
            ids[value] = id;
        }

        return id;
    }

    /// <summary>How many placed pods the index holds.</summary>
    public int PodCount => _pods;

    /// <summary>Adds the node's labels and every pod on it.</summary>
    public void AddNode(NodeInfo node)
    {
        _nodeLabels[node.Name] = new Dictionary<string, string>(node.Labels, StringComparer.Ordinal);
        foreach (var pod in node.Pods)
        {
            Add(node.Name, pod);
        }
    }

    /// <summary>Removes the node and every pod the index holds on it.</summary>
    public void RemoveNode(string node)
    {
        if (_byNode.Remove(node, out var placed))
        {
            foreach (var entry in placed)
            {
                Forget(entry);
            }
        }

        _nodeLabels.Remove(node);
    }

    /// <summary>
    /// Moves the index from <paramref name="before"/> to <paramref name="after"/>: pods appended to the
    /// node are added on their own; any other change (pods gone, labels changed) re-adds the node.
    /// </summary>
    public void Replace(NodeInfo before, NodeInfo after)
    {
        if (before.Name == after.Name && _nodeLabels.TryGetValue(after.Name, out var held) && SameLabels(held, after.Labels) && Extends(after.Pods, before.Pods))
        {
            for (var i = before.Pods.Count; i < after.Pods.Count; i++)
            {
                Add(after.Name, after.Pods[i]);
            }

            return;
        }

        RemoveNode(before.Name);
        AddNode(after);
    }

    /// <summary>Adds <paramref name="pod"/> on a node the index holds.</summary>
    public void Add(string node, V1Pod pod)
    {
        var entry = new PlacedPod(pod, node, PodAffinityTerms.LabelPairs(pod));
        if (!_byNode.TryGetValue(node, out var onNode))
        {
            onNode = [];
            _byNode[node] = onNode;
        }

        onNode.Add(entry);
        _pods++;
        var labels = _nodeLabels[node];
        foreach (var pair in entry.LabelPairs)
        {
            if (!_byPair.TryGetValue(pair, out var pods))
            {
                pods = [];
                _byPair[pair] = pods;
            }

            pods.Add(entry);
            if (_counts.TryGetValue((pod.Namespace(), pair), out var byKey))
            {
                foreach (var (key, domains) in byKey)
                {
                    Bump(domains, labels, key, 1);
                }
            }
        }

        foreach (var term in RequiredAntiAffinity(pod))
        {
            var signature = PodAffinityTerms.Signature(term, pod);
            if (!_groups.TryGetValue(signature, out var group))
            {
                group = new AntiAffinityGroup(term, pod);
                _groups[signature] = group;
                var bucket = PodAffinityTerms.LabelPairs(term) is { Length: > 0 } termPairs ? termPairs.Min(StringComparer.Ordinal)! : Unbucketed;
                if (!_groupsByPair.TryGetValue(bucket, out var groups))
                {
                    groups = [];
                    _groupsByPair[bucket] = groups;
                }

                groups.Add(group);
            }

            Bump(group.Domains, labels, term.TopologyKey, 1);
        }
    }

    /// <summary>
    /// The placed pods' required anti-affinity terms that select <paramref name="pod"/>: each term's
    /// topology key and how many pods carry it per domain (live counts, read before the next change).
    /// </summary>
    public IReadOnlyList<(string TopologyKey, DomainTally Domains)> AntiAffinitySelecting(V1Pod pod)
    {
        List<(string, DomainTally)>? selecting = null;
        if (_groupsByPair.Count == 0)
        {
            return [];
        }

        Collect(Unbucketed, pod, ref selecting);
        foreach (var pair in PodAffinityTerms.LabelPairs(pod))
        {
            Collect(pair, pod, ref selecting);
        }

        return selecting is null ? [] : selecting;
    }

    /// <summary>
    /// How many placed pods <paramref name="term"/> of <paramref name="owner"/> selects in each domain of
    /// its topology key. A term of one <c>matchLabels</c> pair in listed namespaces reads maintained
    /// counts; any other term tests the pods carrying its rarest pair (all pods when it has none).
    /// </summary>
    public DomainCounts Matching(V1PodAffinityTerm term, V1Pod owner)
    {
        var pairs = PodAffinityTerms.LabelPairs(term);
        if (!PodAffinityTerms.AnyNamespace(term) && pairs.Length == 1 && term.LabelSelector.MatchExpressions is null or { Count: 0 })
        {
            var namespaces = term.Namespaces is { Count: > 0 } listed ? listed.Distinct(StringComparer.Ordinal) : [owner.Namespace()];
            return new DomainCounts([.. namespaces.Select(ns => Counts(ns, pairs[0], term.TopologyKey))]);
        }

        var domains = new DomainTally();
        foreach (var entry in Candidates(pairs))
        {
            if (PodAffinityTerms.Selects(term, owner, entry.Pod))
            {
                Bump(domains, _nodeLabels[entry.Node], term.TopologyKey, 1);
            }
        }

        return new DomainCounts([domains]);
    }

    private void Collect(string bucket, V1Pod pod, ref List<(string, DomainTally)>? selecting)
    {
        if (!_groupsByPair.TryGetValue(bucket, out var groups))
        {
            return;
        }

        foreach (var group in groups)
        {
            if (group.Domains.Count > 0 && PodAffinityTerms.Selects(group.Term, group.Owner, pod))
            {
                (selecting ??= []).Add((group.Term.TopologyKey, group.Domains));
            }
        }
    }

    private IEnumerable<PlacedPod> Candidates(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return _byNode.Values.SelectMany(pods => pods);
        }

        HashSet<PlacedPod>? rarest = null;
        foreach (var pair in pairs)
        {
            if (!_byPair.TryGetValue(pair, out var pods))
            {
                return [];
            }

            if (rarest is null || pods.Count < rarest.Count)
            {
                rarest = pods;
            }
        }

        return rarest!;
    }

    /// <summary>Pods of <paramref name="ns"/> labelled <paramref name="pair"/> per domain of <paramref name="key"/>, kept from now on.</summary>
    private DomainTally Counts(string ns, string pair, string key)
    {
        if (!_counts.TryGetValue((ns, pair), out var byKey))
        {
            byKey = new Dictionary<string, DomainTally>(StringComparer.Ordinal);
            _counts[(ns, pair)] = byKey;
        }

        if (!byKey.TryGetValue(key, out var domains))
        {
            domains = new DomainTally();
            foreach (var entry in _byPair.GetValueOrDefault(pair) ?? [])
            {
                if (entry.Pod.Namespace() == ns)
                {
                    Bump(domains, _nodeLabels[entry.Node], key, 1);
                }
            }

            byKey[key] = domains;
        }

        return domains;
    }

    private void Forget(PlacedPod entry)
    {
        _pods--;
        var labels = _nodeLabels[entry.Node];
        foreach (var pair in entry.LabelPairs)
        {
            if (_byPair.TryGetValue(pair, out var pods))
            {
                pods.Remove(entry);
                if (pods.Count == 0)
                {
                    _byPair.Remove(pair);
                }
            }

            if (_counts.TryGetValue((entry.Pod.Namespace(), pair), out var byKey))
            {
                foreach (var (key, domains) in byKey)
                {
                    Bump(domains, labels, key, -1);
                }
            }
        }

        foreach (var term in RequiredAntiAffinity(entry.Pod))
        {
            if (_groups.TryGetValue(PodAffinityTerms.Signature(term, entry.Pod), out var group))
            {
                Bump(group.Domains, labels, term.TopologyKey, -1);
            }
        }
    }

    private void Bump(DomainTally domains, IDictionary<string, string> nodeLabels, string key, int delta)
    {
        if (nodeLabels.TryGetValue(key, out var domain))
        {
            domains.Add(domain, DomainId(key, domain), delta);
        }
    }

    private static IList<V1PodAffinityTerm> RequiredAntiAffinity(V1Pod pod) =>
        pod.Spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];

    private static bool SameLabels(IDictionary<string, string> before, IDictionary<string, string> after) =>
        before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var value) && value == kv.Value);

    private static bool Extends(IReadOnlyList<V1Pod> after, IReadOnlyList<V1Pod> before)
    {
        if (after.Count < before.Count)
        {
            return false;
        }

        for (var i = 0; i < before.Count; i++)
        {
            if (!ReferenceEquals(after[i], before[i]))
            {
                return false;
            }
        }

        return true;
    }
}
