using System.Runtime.CompilerServices;
using System.Text;
using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>How a pod (anti-)affinity term selects pods: by labels, in the namespaces it names or else the owning pod's.</summary>
public static class PodAffinityTerms
{
    // Terms are parts of pods the informer holds: their selectors, pairs and signatures are computed once per pod version.
    private static readonly ConditionalWeakTable<V1PodAffinityTerm, LabelSelector> Selectors = [];
    private static readonly ConditionalWeakTable<V1PodAffinityTerm, string[]> TermPairs = [];

    public static bool Selects(V1PodAffinityTerm term, V1Pod owner, V1Pod candidate)
    {
        var inNamespace = term.Namespaces is { Count: > 0 } listed ? listed.Contains(candidate.Namespace()) : candidate.Namespace() == owner.Namespace();
        return (AnyNamespace(term) || inNamespace)
            && Selectors.GetValue(term, t => LabelSelector.FromModel(t.LabelSelector)).Matches(candidate.Metadata);
    }

    /// <summary>Whether the term's empty <c>namespaceSelector</c> makes it select pods of every namespace.</summary>
    public static bool AnyNamespace(V1PodAffinityTerm term) =>
        term.NamespaceSelector is { MatchLabels: null or { Count: 0 }, MatchExpressions: null or { Count: 0 } };

    /// <summary>The term's <c>matchLabels</c> as <c>key=value</c> pairs: a pod the term selects carries all of them.</summary>
    public static string[] LabelPairs(V1PodAffinityTerm term) =>
        TermPairs.GetValue(term, t => t.LabelSelector?.MatchLabels is { Count: > 0 } labels ? [.. labels.Select(kv => Pair(kv.Key, kv.Value))] : []);

    /// <summary>The pod's labels as <c>key=value</c> pairs.</summary>
    public static string[] LabelPairs(V1Pod pod) =>
        pod.Metadata.Labels is { Count: > 0 } labels ? [.. labels.Select(kv => Pair(kv.Key, kv.Value))] : [];

    /// <summary>
    /// What decides which pods the term, carried by <paramref name="owner"/>, selects: two terms with
    /// one signature select the same pods, so placed pods' terms can be counted together.
    /// </summary>
    public static string Signature(V1PodAffinityTerm term, V1Pod owner)
    {
        var text = new StringBuilder()
            .Append(term.TopologyKey).Append('\n')
            .Append(AnyNamespace(term) ? "*" : "").Append('\n')
            .Append(owner.Namespace()).Append('\n')
            .AppendJoin(',', (term.Namespaces ?? []).Order(StringComparer.Ordinal)).Append('\n');
        if (term.LabelSelector is not { } selector)
        {
            return text.Append("nothing").ToString();
        }

        text.AppendJoin(',', LabelPairs(term).Order(StringComparer.Ordinal)).Append('\n');
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            text.Append(expression.Key).Append(' ').Append(expression.OperatorProperty).Append(' ').AppendJoin(',', expression.Values ?? []).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The value of <paramref name="key"/> on the node: its topology domain, or null when the node has no such label.</summary>
    public static string? Domain(NodeInfo node, string key) => node.Label(key);

    private static string Pair(string key, string value) => $"{key}={value}";
}
