using System.Runtime.CompilerServices;
using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>How a pod (anti-)affinity term selects pods: by labels, in the namespaces it names or else the owning pod's.</summary>
public static class PodAffinityTerms
{
    // Terms are parts of pods the informer holds: their selectors are parsed once per pod version.
    private static readonly ConditionalWeakTable<V1PodAffinityTerm, LabelSelector> Selectors = [];

    public static bool Selects(V1PodAffinityTerm term, V1Pod owner, V1Pod candidate)
    {
        var anyNamespace = term.NamespaceSelector is { MatchLabels: null or { Count: 0 }, MatchExpressions: null or { Count: 0 } };
        var inNamespace = term.Namespaces is { Count: > 0 } listed ? listed.Contains(candidate.Namespace()) : candidate.Namespace() == owner.Namespace();
        return (anyNamespace || inNamespace)
            && Selectors.GetValue(term, t => LabelSelector.FromModel(t.LabelSelector)).Matches(candidate.Metadata);
    }

    /// <summary>The term's <c>matchLabels</c> as <c>key=value</c> pairs, to test against <see cref="NodeInfo.PodLabelPairs"/>.</summary>
    public static string[] LabelPairs(V1PodAffinityTerm term) =>
        term.LabelSelector?.MatchLabels is { Count: > 0 } labels ? [.. labels.Select(kv => $"{kv.Key}={kv.Value}")] : [];

    /// <summary>False when no pod on the node can match a term with these pairs: one of them is on none of its pods.</summary>
    public static bool MayMatchOn(string[] pairs, NodeInfo node)
    {
        if (node.Pods.Count == 0)
        {
            return false;
        }

        foreach (var pair in pairs)
        {
            if (!node.PodLabelPairs.Contains(pair))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value of <paramref name="key"/> on the node: its topology domain, or null when the node has no such label.</summary>
    public static string? Domain(NodeInfo node, string key) => node.Labels.TryGetValue(key, out var value) ? value : null;
}
