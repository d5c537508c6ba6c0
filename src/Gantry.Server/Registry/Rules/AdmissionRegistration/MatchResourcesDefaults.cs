using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's v1 <c>SetDefaults_MatchResources</c> and <c>SetDefaults_Rule</c> for the resources a policy or a binding
/// matches: match policy Equivalent, selectors that select everything, every rule of any scope.
/// </summary>
internal static class MatchResourcesDefaults
{
    public static void Apply(V1MatchResources? match)
    {
        if (match is null)
        {
            return;
        }

        match.MatchPolicy ??= WebhookValues.Equivalent;
        match.NamespaceSelector ??= new V1LabelSelector();
        match.ObjectSelector ??= new V1LabelSelector();
        Rules(match.ResourceRules);
        Rules(match.ExcludeResourceRules);
    }

    private static void Rules(IList<V1NamedRuleWithOperations>? rules)
    {
        foreach (var rule in rules ?? [])
        {
            if (rule is not null)
            {
                rule.Scope ??= WebhookValues.AllScopes;
            }
        }
    }
}
