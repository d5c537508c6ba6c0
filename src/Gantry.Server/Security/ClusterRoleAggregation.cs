using System.Text.Json.Nodes;
using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// What kube's clusterrole-aggregation controller makes of a ClusterRole with an <c>aggregationRule</c>: the rules of
/// every other ClusterRole one of its selectors matches, selector by selector and by name within each, each rule once.
/// </summary>
public static class ClusterRoleAggregation
{
    public static List<V1PolicyRule> RulesFor(V1ClusterRole role, IEnumerable<V1ClusterRole> clusterRoles)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(clusterRoles);
        var candidates = clusterRoles.Where(r => r.Metadata?.Name != role.Metadata?.Name).OrderBy(r => r.Metadata?.Name, StringComparer.Ordinal).ToList();
        var rules = new List<V1PolicyRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in role.AggregationRule?.ClusterRoleSelectors ?? [])
        {
            LabelSelector selector;
            try
            {
                selector = LabelSelector.FromModel(model);
            }
            catch (SelectorParseException)
            {
                // kube's controller gives up on such a role and leaves its rules as they are; so does the caller
                // when the result is unchanged, which an invalid selector's part of it is.
                continue;
            }

            foreach (var rule in candidates.Where(r => selector.Matches(r.Metadata)).SelectMany(r => r.Rules ?? []))
            {
                if (seen.Add(Key(rule)))
                {
                    rules.Add(rule);
                }
            }
        }

        return rules;
    }

    /// <summary>Whether two rule lists are the same rules in the same order (kube compares them with <c>Semantic.DeepEqual</c>).</summary>
    public static bool SameRules(IList<V1PolicyRule>? left, IList<V1PolicyRule>? right) =>
        (left ?? []).Select(Key).SequenceEqual((right ?? []).Select(Key), StringComparer.Ordinal);

    /// <summary>The rules as a role's <c>rules</c> field stores them.</summary>
    public static JsonArray ToJson(IEnumerable<V1PolicyRule> rules) => new([.. rules.Select(r => (JsonNode)BootstrapPolicy.RuleJson(PolicyRule.Of(r)))]);

    /// <summary>A rule's identity: each of its lists in order.</summary>
    public static string Key(V1PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        static string Join(IList<string>? values) => string.Join('\u0001', values ?? []);
        return string.Join('\u0002', Join(rule.Verbs), Join(rule.ApiGroups), Join(rule.Resources), Join(rule.ResourceNames), Join(rule.NonResourceURLs));
    }
}
