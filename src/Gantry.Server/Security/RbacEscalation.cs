using Gantry.Core.Validation;

namespace Gantry.Server.Security;

/// <summary>
/// kube's <c>ConfirmNoEscalation</c>: a user may grant only what it already holds. The user's rules (in a namespace,
/// or cluster-wide) must cover the rules granted; if not, the refusal names the user, its groups and each missing rule,
/// compacted and printed as kube prints them, one a line, sorted. Pure.
/// </summary>
public static class RbacEscalation
{
    /// <summary>What a ClusterRole's aggregationRule needs, since it can gather anything: <c>*</c> on everything.</summary>
    public static IReadOnlyList<PolicyRule> FullAuthority { get; } = [new(["*"], ["*"], ["*"]), PolicyRule.ForUrls(["*"], "*")];

    /// <summary>
    /// Null when <paramref name="held"/> covers <paramref name="granted"/>; otherwise kube's message for the refusal, with
    /// the <paramref name="resolutionErrors"/> of the user's rules (bindings whose role is missing) after it, as kube
    /// lists them.
    /// </summary>
    public static string? Refusal(
        RequestUser user, IEnumerable<PolicyRule> held, IEnumerable<PolicyRule> granted, IReadOnlyList<string>? resolutionErrors = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var missing = RbacRuleCoverage.Uncovered(held, granted);
        if (missing.Count == 0)
        {
            return null;
        }

        var lines = RbacRuleCompaction.Compact(missing).Select(RbacRuleText.Compact).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var refusal = $"user {GoValue.Quote(user.Name)} (groups={RbacRuleText.QuotedList(user.Groups)}) " +
            "is attempting to grant RBAC permissions not currently held:\n" + string.Join('\n', lines);
        return resolutionErrors is { Count: > 0 } ? $"{refusal}; resolution errors: [{string.Join(' ', resolutionErrors)}]" : refusal;
    }
}
