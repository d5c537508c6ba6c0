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
        IntOrPercentValidation.ValidatePositive(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
        IntOrPercentValidation.ValidatePositive(rollingUpdate.MaxSurge, path.Child("maxSurge"), errors);
        if (IntOrPercentValidation.Amount(rollingUpdate.MaxUnavailable) == 0 && IntOrPercentValidation.Amount(rollingUpdate.MaxSurge) == 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("maxUnavailable"), GoValue.IntOrString(rollingUpdate.MaxUnavailable),
                "may not be 0 when `maxSurge` is 0"));
        }

        IntOrPercentValidation.ValidateNotMoreThan100Percent(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
    }
}
