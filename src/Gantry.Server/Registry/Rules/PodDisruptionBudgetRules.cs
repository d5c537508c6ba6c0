using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// PodDisruptionBudgets (policy/v1), as kube's <c>ValidatePodDisruptionBudgetSpec</c> and
/// <c>ValidatePodDisruptionBudgetStatusUpdate</c> check them. policy/v1 has no defaults, and its spec may change
/// (each change bumps the generation, which an eviction waits for the disruption controller to observe).
/// </summary>
public sealed class PodDisruptionBudgetRules() : ResourceRules<V1PodDisruptionBudget>(ResourceCatalog.Get("policy", "poddisruptionbudgets"))
{
    public const string IfHealthyBudget = "IfHealthyBudget";
    public const string AlwaysAllow = "AlwaysAllow";

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath Status = FieldPath.Of("status");
    private static readonly string[] EvictionPolicies = [AlwaysAllow, IfHealthyBudget];

    protected override void Validate(V1PodDisruptionBudget obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PodDisruptionBudgetSpec();
        if (spec.MinAvailable is not null && spec.MaxUnavailable is not null)
        {
            errors.Add(FieldErrors.Invalid(Spec, GoValue.Struct("policy.PodDisruptionBudgetSpec"), "minAvailable and maxUnavailable cannot be both set"));
        }

        ValidateIntOrPercent(spec.MinAvailable, Spec.Child("minAvailable"), errors);
        ValidateIntOrPercent(spec.MaxUnavailable, Spec.Child("maxUnavailable"), errors);
        errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, Spec.Child("selector")));
        if (spec.UnhealthyPodEvictionPolicy is { } policy && !EvictionPolicies.Contains(policy))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("unhealthyPodEvictionPolicy"), policy, EvictionPolicies));
        }
    }

    protected override void ValidateStatusUpdate(V1PodDisruptionBudget obj, V1PodDisruptionBudget old, List<FieldError> errors)
    {
        var status = obj.Status ?? new V1PodDisruptionBudgetStatus();
        errors.AddRange(ConditionValidation.Validate(status.Conditions, Status.Child("conditions")));
        ReplicaTemplateValidation.ValidateNonNegative(status.DisruptionsAllowed, Status.Child("disruptionsAllowed"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.CurrentHealthy, Status.Child("currentHealthy"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.DesiredHealthy, Status.Child("desiredHealthy"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.ExpectedPods, Status.Child("expectedPods"), errors);
    }

    /// <summary>apps validation's <c>ValidatePositiveIntOrPercent</c> and <c>IsNotMoreThan100Percent</c>.</summary>
    private static void ValidateIntOrPercent(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        if (value?.Value is not { } text)
        {
            return;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            ReplicaTemplateValidation.ValidateNonNegative(number, path, errors);
            return;
        }

        var problems = FormatValidation.IsValidPercent(text);
        errors.AddRange(problems.Select(m => FieldErrors.Invalid(path, GoValue.IntOrString(value), m)));
        if (problems.Count == 0 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent > 100)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.IntOrString(value), "must not be greater than 100%"));
        }
    }
}
