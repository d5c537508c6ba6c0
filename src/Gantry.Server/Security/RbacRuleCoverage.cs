namespace Gantry.Server.Security;

/// <summary>
/// Whether some rules (an owner's) allow everything other rules (a servant's) allow, as kube's <c>Covers</c> decides
/// before it lets a user grant a role: every servant rule is broken down into atomic rules (one group, one resource, one
/// resource name or none, one verb; or one URL and one verb), and each must be covered by a single owner rule. Because
/// the breakdown is atomic, a servant rule split across two owner rules is still covered. Pure.
/// </summary>
public static class RbacRuleCoverage
{
    private const string All = "*";

    /// <summary>kube's <c>Covers</c>: the atomic servant rules no owner rule covers; empty when the owner covers all.</summary>
    public static IReadOnlyList<PolicyRule> Uncovered(IEnumerable<PolicyRule> ownerRules, IEnumerable<PolicyRule> servantRules)
    {
        ArgumentNullException.ThrowIfNull(ownerRules);
        ArgumentNullException.ThrowIfNull(servantRules);
        var owners = ownerRules as IReadOnlyCollection<PolicyRule> ?? [.. ownerRules];
        return [.. servantRules.SelectMany(Breakdown).Where(atomic => !owners.Any(owner => Covers(owner, atomic)))];
    }

    /// <summary>
    /// kube's <c>BreakdownRule</c>: group × resource × verb (× resource name, when the rule names any), then URL × verb.
    /// The rule's namespace is not kept: a role's rules name none.
    /// </summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var group in rule.Groups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.Names is { Count: > 0 } names)
                    {
                        foreach (var name in names)
                        {
                            yield return new PolicyRule([verb], [group], [resource]) { Names = [name] };
                        }
                    }
                    else
                    {
                        yield return new PolicyRule([verb], [group], [resource]);
                    }
                }
            }
        }

        // Non-resource URLs only combine with verbs.
        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return PolicyRule.ForUrls([verb], url);
            }
        }
    }

    /// <summary>
    /// kube's <c>ruleCovers</c>, for an atomic <paramref name="servant"/>: an owner rule without resource names covers
    /// any name, but one with names never covers a servant without one (that is every object, and lists).
    /// </summary>
    public static bool Covers(PolicyRule owner, PolicyRule servant)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(servant);
        var ownerNames = owner.Names ?? [];
        var servantNames = servant.Names ?? [];
        var namesMatch = ownerNames.Count == 0 || (servantNames.Count > 0 && HasAll(ownerNames, servantNames));
        return (Has(owner.Verbs, All) || HasAll(owner.Verbs, servant.Verbs)) &&
            (Has(owner.Groups, All) || HasAll(owner.Groups, servant.Groups)) &&
            ResourcesCoverAll(owner.Resources, servant.Resources) &&
            namesMatch &&
            servant.NonResourceUrls.All(path => owner.NonResourceUrls.Any(ownerPath => UrlCovers(ownerPath, path)));
    }

    /// <summary>kube's <c>resourceCoversAll</c>: <c>*</c>, the resource itself, or <c>*/sub</c> for any resource's <c>sub</c>.</summary>
    private static bool ResourcesCoverAll(IReadOnlyList<string> owner, IReadOnlyList<string> servant)
    {
        if (Has(owner, All) || HasAll(owner, servant))
        {
            return true;
        }

        foreach (var resource in servant)
        {
            if (Has(owner, resource))
            {
                continue;
            }

            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !Has(owner, "*/" + resource[(slash + 1)..]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>kube's <c>nonResourceURLCovers</c>: the same path, or a prefix ending in <c>*</c> (so <c>*</c> covers every path).</summary>
    private static bool UrlCovers(string ownerPath, string path) =>
        ownerPath == path || (ownerPath.EndsWith('*') && path.StartsWith(ownerPath.TrimEnd('*'), StringComparison.Ordinal));

    private static bool Has(IReadOnlyList<string> set, string value) => set.Contains(value, StringComparer.Ordinal);

    private static bool HasAll(IReadOnlyList<string> set, IReadOnlyList<string> values) => values.All(v => Has(set, v));
}
