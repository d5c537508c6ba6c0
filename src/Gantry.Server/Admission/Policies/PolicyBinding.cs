using Gantry.Server.Admission.Webhooks;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// One stored ValidatingAdmissionPolicyBinding, read once per version of it: the policy it applies, the requests it
/// narrows that policy to, its params, and what a failed validation does (<c>validationActions</c>).
/// </summary>
/// <param name="Criteria">Its <c>matchResources</c>; null where it narrows nothing.</param>
public sealed record PolicyBinding(
    string Name,
    string PolicyName,
    MatchCriteria? Criteria,
    V1ParamRef? ParamRef,
    bool Deny,
    bool Warn)
{
    public static PolicyBinding Of(V1ValidatingAdmissionPolicyBinding binding)
    {
        var spec = binding.Spec ?? new V1ValidatingAdmissionPolicyBindingSpec();
        var actions = spec.ValidationActions ?? [];
        return new(
            binding.Metadata?.Name ?? "",
            spec.PolicyName ?? "",
            spec.MatchResources is { } resources ? MatchCriteria.Of(resources, emptyRulesMatchAll: true) : null,
            spec.ParamRef,
            actions.Contains("Deny"),
            actions.Contains("Warn"));
    }
}
