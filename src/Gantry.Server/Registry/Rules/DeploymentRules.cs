using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Deployments (apps/v1): the defaults of <c>SetDefaults_Deployment</c> (one replica, RollingUpdate 25%/25%,
/// ten revisions, 600 s progress deadline), <c>ValidateDeploymentSpec</c>, and an immutable selector.
/// </summary>
public sealed class DeploymentRules() : ResourceRules<V1Deployment>(ResourceCatalog.Get("apps", "deployments"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly string[] StrategyTypes = ["Recreate", "RollingUpdate"];

    protected override void Default(V1Deployment obj)
    {
        var spec = obj.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        var strategy = spec.Strategy ??= new V1DeploymentStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = "RollingUpdate";
        }

        if (strategy.Type == "RollingUpdate")
        {
            var rollingUpdate = strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            rollingUpdate.MaxUnavailable ??= "25%";
            rollingUpdate.MaxSurge ??= "25%";
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        PodSpecDefaults.DefaultTemplate(spec.Template);
    }

    protected override void Validate(V1Deployment obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1DeploymentSpec();
        ReplicaTemplateValidation.ValidateNonNegative(spec.Replicas, Spec.Child("replicas"), errors);
        if (ReplicaTemplateValidation.ValidateSelector(spec.Selector, Spec.Child("selector"), errors) is { } selector)
        {
            ReplicaTemplateValidation.Validate(spec.Template, selector, Spec.Child("template"), "ReplicaSet", errors);
        }

        ValidateStrategy(spec.Strategy ?? new V1DeploymentStrategy(), Spec.Child("strategy"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.MinReadySeconds, Spec.Child("minReadySeconds"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.RevisionHistoryLimit, Spec.Child("revisionHistoryLimit"), errors);
        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            ReplicaTemplateValidation.ValidateNonNegative(deadline, Spec.Child("progressDeadlineSeconds"), errors);
            if (deadline <= (spec.MinReadySeconds ?? 0))
            {
                errors.Add(FieldErrors.Invalid(Spec.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
            }
        }
    }

    protected override void ValidateUpdate(V1Deployment obj, V1Deployment old, List<FieldError> errors)
    {
        Validate(obj, errors);
        ReplicaTemplateValidation.ValidateSelectorUnchanged(obj.Spec?.Selector, old.Spec?.Selector, Spec.Child("selector"), errors);
    }

    private static void ValidateStrategy(V1DeploymentStrategy strategy, FieldPath path, List<FieldError> errors)
    {
        switch (strategy.Type)
        {
            case "Recreate":
                if (strategy.RollingUpdate is not null)
                {
                    errors.Add(FieldErrors.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
                }

                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is null)
                {
                    errors.Add(FieldErrors.Required(path.Child("rollingUpdate"), "this should be defaulted and never be nil"));
                }
                else
                {
                    ValidateRollingUpdate(strategy.RollingUpdate, path.Child("rollingUpdate"), errors);
                }

                break;
            default:
                errors.Add(FieldErrors.NotSupported(path, GoValue.Struct("apps.DeploymentStrategy"), StrategyTypes));
                break;
        }
    }

    private static void ValidateRollingUpdate(V1RollingUpdateDeployment rollingUpdate, FieldPath path, List<FieldError> errors)
    {
        ValidateIntOrPercent(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
        ValidateIntOrPercent(rollingUpdate.MaxSurge, path.Child("maxSurge"), errors);
        if (Amount(rollingUpdate.MaxUnavailable) == 0 && Amount(rollingUpdate.MaxSurge) == 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("maxUnavailable"), GoValue.IntOrString(rollingUpdate.MaxUnavailable),
                "may not be 0 when `maxSurge` is 0"));
        }

        if (IsPercent(rollingUpdate.MaxUnavailable, out var percent) && percent > 100)
        {
            errors.Add(FieldErrors.Invalid(path.Child("maxUnavailable"), GoValue.IntOrString(rollingUpdate.MaxUnavailable), "must not be greater than 100%"));
        }
    }

    private static void ValidateIntOrPercent(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        var text = value?.Value ?? "0";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            ReplicaTemplateValidation.ValidateNonNegative(number, path, errors);
        }
        else
        {
            errors.AddRange(FormatValidation.IsValidPercent(text).Select(m => FieldErrors.Invalid(path, GoValue.IntOrString(value), m)));
        }
    }

    private static bool IsPercent(IntOrString? value, out int percent)
    {
        percent = 0;
        var text = value?.Value ?? "";
        return FormatValidation.IsValidPercent(text).Count == 0 &&
            int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out percent);
    }

    private static int Amount(IntOrString? value) =>
        IsPercent(value, out var percent) ? percent
        : int.TryParse(value?.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
