using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.Rules.AdmissionRegistration;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ValidatingAdmissionPolicyBindings (admissionregistration.k8s.io/v1), as kube's v1 defaulting and
/// <c>ValidateValidatingAdmissionPolicyBinding</c> (on update too) treat them: the policy bound, by name; its parameters,
/// one named object or those a selector picks, and what to do when there are none; the resources it narrows the policy
/// to; and what a failed validation does (deny, warn, audit).
/// </summary>
public sealed class ValidatingAdmissionPolicyBindingRules()
    : ResourceRules<V1ValidatingAdmissionPolicyBinding>(ResourceCatalog.Get("admissionregistration.k8s.io", "validatingadmissionpolicybindings"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");

    /// <summary>kube's v1 <c>SetDefaults_MatchResources</c>; nothing of the parameter reference is defaulted in v1.</summary>
    protected override void Default(V1ValidatingAdmissionPolicyBinding obj) => MatchResourcesDefaults.Apply(obj.Spec?.MatchResources);

    /// <summary>kube's <c>validateValidatingAdmissionPolicyBindingSpec</c>.</summary>
    protected override void Validate(V1ValidatingAdmissionPolicyBinding obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ValidatingAdmissionPolicyBindingSpec();
        var policyName = spec.PolicyName ?? "";
        if (policyName.Length == 0)
        {
            errors.Add(FieldErrors.Required(Spec.Child("policyName")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(policyName).Select(m => FieldErrors.Invalid(Spec.Child("policyName"), policyName, m)));
        }

        ParamRefValidation.Validate(spec.ParamRef, Spec.Child("paramRef"), errors);
        MatchResourcesValidation.Validate(spec.MatchResources, Spec.Child("matchResources"), errors);
        ValidationActionValidation.Validate(spec.ValidationActions, Spec.Child("validationActions"), errors);
    }
}
