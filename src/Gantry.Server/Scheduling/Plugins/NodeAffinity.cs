using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// <c>spec.nodeSelector</c> and required node affinity decide which nodes a pod may go to (terms are
/// ORed, the expressions of a term ANDed); preferred node affinity adds the weights of the terms a
/// node matches to its score.
/// </summary>
public sealed class NodeAffinity : IFilterPlugin, IScorePlugin
{
    public const string Reason = "node(s) didn't match Pod's node affinity/selector";

    public string Name => nameof(NodeAffinity);

    public int Weight => 2;

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        if (pod.Pod.Spec.NodeSelector is { } selector)
        {
            foreach (var (key, wanted) in selector)
            {
                if (!node.Labels.TryGetValue(key, out var value) || value != wanted)
                {
                    return [Reason];
                }
            }
        }

        var required = pod.Pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return required is null || MatchesAny(required.NodeSelectorTerms, node) ? [] : [Reason];
    }

    public bool SkipsFilter(PodInfo pod) =>
        pod.Pod.Spec.NodeSelector is not { Count: > 0 } && pod.Pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is null;

    public bool SkipsScore(PodInfo pod) =>
        pod.Pod.Spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is not { Count: > 0 };

    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => false;

    public int Score(PodInfo pod, NodeInfo node)
    {
        var preferred = pod.Pod.Spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution;
        if (preferred is null || preferred.Count == 0)
        {
            return 0;
        }

        int total = 0, matched = 0;
        foreach (var term in preferred)
        {
            var weight = Math.Max(0, term.Weight);
            total += weight;
            matched += Matches(term.Preference, node) ? weight : 0;
        }

        return total == 0 ? 0 : matched * 100 / total;
    }

    private static bool MatchesAny(IList<V1NodeSelectorTerm> terms, NodeInfo node)
    {
        foreach (var term in terms)
        {
            if (Matches(term, node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A term with no requirements matches no node, as in Kubernetes.</summary>
    public static bool Matches(V1NodeSelectorTerm term, NodeInfo node)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        return expressions.All(e => Matches(e, node.Labels.TryGetValue(e.Key, out var v) ? v : null))
            && fields.All(f => f.Key == "metadata.name" && Matches(f, node.Name));
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, string? value) => requirement.OperatorProperty switch
    {
        "In" => value is not null && (requirement.Values ?? []).Contains(value),
        "NotIn" => value is null || !(requirement.Values ?? []).Contains(value),
        "Exists" => value is not null,
        "DoesNotExist" => value is null,
        "Gt" => Compare(value, requirement) > 0,
        "Lt" => Compare(value, requirement) < 0,
        _ => false,
    };

    /// <summary>Gt and Lt compare integers; anything unparsable matches neither.</summary>
    private static int Compare(string? value, V1NodeSelectorRequirement requirement) =>
        value is not null && requirement.Values is [var bound]
            && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var actual)
            && long.TryParse(bound, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)
            ? actual.CompareTo(limit)
            : 0;
}
