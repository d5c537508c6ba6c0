using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateMatchResources</c>: a match policy, both selectors (checked strictly, as the type postdates kube's
/// lenient selector values), and rules that name resources as webhook rules do, plus resource names that are path
/// segments, each at most once.
/// </summary>
internal static class MatchResourcesValidation
{
    public static void Validate(V1MatchResources? match, FieldPath path, List<FieldError> errors)
    {
        if (match is null)
        {
            return;
        }

        if (match.MatchPolicy is not { } matchPolicy)
        {
            errors.Add(FieldErrors.Required(path.Child("matchPolicy")));
        }
        else if (!WebhookValues.MatchPolicies.Contains(matchPolicy))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("matchPolicy"), matchPolicy, WebhookValues.MatchPolicies));
        }

        Selector(match.NamespaceSelector, path.Child("namespaceSelector"), errors);
        Selector(match.ObjectSelector, path.Child("objectSelector"), errors);
        Rules(match.ResourceRules, path.Child("resourceRules"), errors);
        Rules(match.ExcludeResourceRules, path.Child("excludeResourceRules"), errors);
    }

    private static void Selector(V1LabelSelector? selector, FieldPath path, List<FieldError> errors)
    {
        if (selector is null)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        errors.AddRange(LabelSelectorValidation.Validate(selector, path));
    }

    private static void Rules(IList<V1NamedRuleWithOperations>? rules, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            NamedRule(rules![i] ?? new(), path.Index(i), errors);
        }
    }

    /// <summary>kube's <c>validateNamedRuleWithOperations</c>.</summary>
    private static void NamedRule(V1NamedRuleWithOperations rule, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var resourceNames = rule.ResourceNames ?? [];
        for (var i = 0; i < resourceNames.Count; i++)
        {
            var name = resourceNames[i] ?? "";
            var at = path.Child("resourceNames").Index(i);
            errors.AddRange(FormatValidation.IsValidPathSegmentName(name).Select(m => FieldErrors.Invalid(at, name, m)));
            if (!names.Add(name))
            {
                errors.Add(FieldErrors.Duplicate(at, name));
            }
        }

        var withOperations = new V1RuleWithOperations
        {
            ApiGroups = rule.ApiGroups,
            ApiVersions = rule.ApiVersions,
            Operations = rule.Operations,
            Resources = rule.Resources,
            Scope = rule.Scope,
        };
        WebhookRuleValidation.Validate(withOperations, path, errors);
    }
}
