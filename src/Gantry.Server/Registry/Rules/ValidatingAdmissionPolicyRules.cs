using Gantry.Core.Cel;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Admission.Policies;
using Gantry.Server.Registry.Rules.AdmissionRegistration;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1), as kube's v1 defaulting,
/// <c>ValidateValidatingAdmissionPolicy</c>, <c>…Update</c> and <c>…StatusUpdate</c> treat them: a failure policy, the
/// resources matched (at least one rule, which gives the expressions their types), and validations or audit annotations
/// whose CEL expressions compile with the policy's variables (<c>params</c> only where a <c>paramKind</c> is named) and
/// that Gantry's engine can evaluate. The registry keeps the status on spec writes and the spec on status writes, and
/// bumps the generation when the spec changes; a status write answers for the status alone.
/// </summary>
public sealed class ValidatingAdmissionPolicyRules()
    : ResourceRules<V1ValidatingAdmissionPolicy>(ResourceCatalog.Get("admissionregistration.k8s.io", "validatingadmissionpolicies"))
{
    private const string ValidationsOrAuditAnnotations = "validations or auditAnnotations must contain at least one item";

    private static readonly FieldPath Spec = FieldPath.Of("spec");

    /// <summary>kube's v1 <c>SetDefaults_ValidatingAdmissionPolicySpec</c>, with its match constraints.</summary>
    protected override void Default(V1ValidatingAdmissionPolicy obj)
    {
        var spec = obj.Spec ??= new V1ValidatingAdmissionPolicySpec();
        spec.FailurePolicy ??= WebhookValues.Fail;
        MatchResourcesDefaults.Apply(spec.MatchConstraints);
    }

    protected override void Validate(V1ValidatingAdmissionPolicy obj, List<FieldError> errors) =>
        ValidateSpec(obj, validateMatchConditions: true, errors);

    /// <summary>
    /// As on create, except that match conditions are not compiled again when neither they nor the parameter kind changed
    /// (kube's <c>ignoreValidatingAdmissionPolicyMatchConditions</c>), so that a stored policy stays writable.
    /// </summary>
    protected override void ValidateUpdate(V1ValidatingAdmissionPolicy obj, V1ValidatingAdmissionPolicy old, List<FieldError> errors)
    {
        var unchanged = SemanticEquality.AreEqual(obj.Spec?.ParamKind, old.Spec?.ParamKind)
            && SemanticEquality.AreEqual(obj.Spec?.MatchConditions, old.Spec?.MatchConditions);
        ValidateSpec(obj, validateMatchConditions: !unchanged, errors);
    }

    protected override void ValidateStatusUpdate(V1ValidatingAdmissionPolicy obj, V1ValidatingAdmissionPolicy old, List<FieldError> errors) =>
        PolicyStatusValidation.Validate(obj.Status, errors);

    /// <summary>kube's <c>validateValidatingAdmissionPolicySpec</c>, its errors in kube's order.</summary>
    private static void ValidateSpec(V1ValidatingAdmissionPolicy obj, bool validateMatchConditions, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ValidatingAdmissionPolicySpec();
        if (spec.FailurePolicy is not { } failurePolicy)
        {
            errors.Add(FieldErrors.Required(Spec.Child("failurePolicy")));
        }
        else if (!WebhookValues.FailurePolicies.Contains(failurePolicy))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("failurePolicy"), failurePolicy, WebhookValues.FailurePolicies));
        }

        var hasParams = spec.ParamKind is not null;
        if (spec.ParamKind is { } paramKind)
        {
            ParamKindValidation.Validate(paramKind, Spec.Child("paramKind"), errors);
        }

        if (spec.MatchConstraints is not { } constraints)
        {
            errors.Add(FieldErrors.Required(Spec.Child("matchConstraints")));
        }
        else
        {
            MatchResourcesValidation.Validate(constraints, Spec.Child("matchConstraints"), errors);
            if (constraints.ResourceRules is not { Count: > 0 })
            {
                errors.Add(FieldErrors.Required(Spec.Child("matchConstraints").Child("resourceRules")));
            }
        }

        if (validateMatchConditions)
        {
            MatchConditionValidation.Validate(spec.MatchConditions, PolicyExpressions.MatchConditionEnvironment(hasParams), Spec.Child("matchConditions"), errors);
        }

        // kube declares the variables one at a time: each expression sees those declared before it.
        var variables = spec.Variables ?? [];
        var names = variables.Count == 0 ? null : variables.Select(v => v?.Name ?? "").ToList();
        for (var i = 0; i < variables.Count; i++)
        {
            PolicyVariableValidation.Validate(
                variables[i] ?? new V1Variable(), PolicyExpressions.Environment(hasParams, names![..i]), Spec.Child("variables").Index(i), errors);
        }

        ValidateChecks(spec, obj.Metadata?.Name ?? "", PolicyExpressions.Environment(hasParams, names), PolicyExpressions.MessageEnvironment(hasParams, names), errors);
    }

    /// <summary>What the policy does with a matched request: validations, audit annotations, or both.</summary>
    private static void ValidateChecks(
        V1ValidatingAdmissionPolicySpec spec, string name, CelEnvironment environment, CelEnvironment messageEnvironment, List<FieldError> errors)
    {
        var validations = spec.Validations ?? [];
        var annotations = spec.AuditAnnotations ?? [];
        if (validations.Count == 0 && annotations.Count == 0)
        {
            errors.Add(FieldErrors.Required(Spec.Child("validations"), ValidationsOrAuditAnnotations));
            errors.Add(FieldErrors.Required(Spec.Child("auditAnnotations"), ValidationsOrAuditAnnotations));
            return;
        }

        for (var i = 0; i < validations.Count; i++)
        {
            ValidationRuleValidation.Validate(validations[i] ?? new V1Validation(), environment, messageEnvironment, Spec.Child("validations").Index(i), errors);
        }

        AuditAnnotationValidation.Validate(annotations, name, environment, Spec.Child("auditAnnotations"), errors);
    }
}
