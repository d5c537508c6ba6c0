using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// Which requests an admission webhook or policy sees, read once per version of its configuration: the rules a request
/// must match, those that exclude it, whether another served version of the resource matches too
/// (<c>matchPolicy: Equivalent</c>), and the namespace and object selectors.
/// </summary>
/// <param name="Rules">The rules, one of which a request must match; null where every request matches (a policy binding's
/// <c>matchResources</c> without <c>resourceRules</c>).</param>
/// <param name="Excluded">The rules a request must match none of (a policy's <c>excludeResourceRules</c>).</param>
public sealed record MatchCriteria(
    IReadOnlyList<MatchRule>? Rules,
    IReadOnlyList<MatchRule> Excluded,
    bool MatchEquivalent,
    LabelSelector NamespaceSelector,
    LabelSelector ObjectSelector)
{
    /// <summary>A webhook's criteria (kube's v1 defaults where a field is unset).</summary>
    public static MatchCriteria Of(IEnumerable<V1RuleWithOperations>? rules, string? matchPolicy, V1LabelSelector? namespaceSelector, V1LabelSelector? objectSelector) =>
        new([.. (rules ?? []).Select(r => new MatchRule(r, []))], [], matchPolicy != "Exact", Selector(namespaceSelector), Selector(objectSelector));

    /// <summary>
    /// A policy's <c>matchConstraints</c> or a binding's <c>matchResources</c>; for a binding, rules left out select every
    /// request its policy does.
    /// </summary>
    public static MatchCriteria Of(V1MatchResources resources, bool emptyRulesMatchAll)
    {
        var rules = (resources.ResourceRules ?? []).Select(MatchRule.Of).ToList();
        return new(
            rules.Count == 0 && emptyRulesMatchAll ? null : rules,
            [.. (resources.ExcludeResourceRules ?? []).Select(MatchRule.Of)],
            resources.MatchPolicy != "Exact",
            Selector(resources.NamespaceSelector),
            Selector(resources.ObjectSelector));
    }

    // An unset selector selects everything (kube defaults it to {}); validation refused the ones that do not parse.
    private static LabelSelector Selector(V1LabelSelector? selector) =>
        selector is null ? LabelSelector.Empty : LabelSelector.FromModelOrNothing(selector);
}
