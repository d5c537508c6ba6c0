namespace Gantry.Server.Security;

/// <summary>
/// The missing rules of an escalation, as kube's <c>CompactRules</c> shortens them for its message: the atomic rules
/// that name one group and one resource and nothing but verbs become one rule per group and resource with all their
/// verbs, in the order they came; any other rule is kept as it is. Pure.
/// </summary>
public static class RbacRuleCompaction
{
    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compacted = new List<PolicyRule>();
        var verbs = new Dictionary<(string Group, string Resource), List<string>>();
        var simple = new List<(string Group, string Resource)>();
        foreach (var rule in rules)
        {
            if (!IsSimple(rule))
            {
                compacted.Add(rule);
                continue;
            }

            var key = (rule.Groups[0], rule.Resources[0]);
            if (!verbs.TryGetValue(key, out var gathered))
            {
                verbs[key] = gathered = [];
                simple.Add(key);
            }

            gathered.AddRange(rule.Verbs);
        }

        compacted.AddRange(simple.Select(key => new PolicyRule(verbs[key], [key.Group], [key.Resource])));
        return compacted;
    }

    /// <summary>kube's <c>isSimpleResourceRule</c>: one group, one resource, verbs, and nothing else.</summary>
    private static bool IsSimple(PolicyRule rule) =>
        rule.Groups.Count == 1 && rule.Resources.Count == 1 && rule.Names is not { Count: > 0 } && rule.NonResourceUrls.Count == 0 && rule.Namespace is null;
}
