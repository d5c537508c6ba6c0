using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>One rule of <see cref="MatchCriteria"/>, limited to the objects it names when it names any (a policy's <c>resourceNames</c>).</summary>
public sealed record MatchRule(V1RuleWithOperations Rule, IReadOnlyList<string> ResourceNames)
{
    public static MatchRule Of(V1NamedRuleWithOperations rule) =>
        new(
            new V1RuleWithOperations { ApiGroups = rule.ApiGroups, ApiVersions = rule.ApiVersions, Operations = rule.Operations, Resources = rule.Resources, Scope = rule.Scope },
            [.. rule.ResourceNames ?? []]);
}
