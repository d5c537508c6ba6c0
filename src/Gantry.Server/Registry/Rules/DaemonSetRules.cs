using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// DaemonSets (apps/v1): <c>SetDefaults_DaemonSet</c> (RollingUpdate with maxUnavailable 1 and maxSurge 0, ten
/// revisions), <c>ValidateDaemonSetSpec</c>, an immutable selector, and the template generation that the daemon
/// strategy keeps (apps/v1 carries it in the <c>deprecated.daemonset.template.generation</c> annotation).
/// </summary>
public sealed class DaemonSetRules() : ResourceRules<V1DaemonSet>(ResourceCatalog.Get("apps", "daemonsets"))
{
    /// <summary>apps/v1's home for the internal <c>spec.templateGeneration</c>.</summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly string[] StrategyTypes = ["RollingUpdate", "OnDelete"];

    protected override void Default(V1DaemonSet obj)
    {
        var spec = obj.Spec ??= new V1DaemonSetSpec();
        var strategy = spec.UpdateStrategy ??= new V1DaemonSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = "RollingUpdate";
        }

        if (strategy.Type == "RollingUpdate")
        {
            var rollingUpdate = strategy.RollingUpdate ??= new V1RollingUpdateDaemonSet();
            rollingUpdate.MaxUnavailable ??= 1;
            rollingUpdate.MaxSurge ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        PodSpecDefaults.DefaultTemplate(spec.Template);

        // The strategy's PrepareForCreate starts the template generation at 1; updates carry it over (PrepareForUpdate).
        var annotations = obj.Metadata.Annotations ??= new Dictionary<string, string>();
        annotations.TryAdd(TemplateGenerationAnnotation, "1");
    }

    /// <summary>A changed template is a new template generation (the daemon strategy's <c>PrepareForUpdate</c>).</summary>
    protected override void PrepareForUpdate(V1DaemonSet obj, V1DaemonSet old)
    {
        var generation = TemplateGeneration(old) ?? 0;
        // Compared as stored, so a client that omits defaulted fields does not start a new generation.
        PodSpecDefaults.DefaultTemplate(obj.Spec?.Template);
        if (!SemanticEquality.AreEqual(obj.Spec?.Template, old.Spec?.Template))
        {
            generation++;
        }

        obj.Metadata.Annotations ??= new Dictionary<string, string>();
        obj.Metadata.Annotations[TemplateGenerationAnnotation] = generation.ToString(CultureInfo.InvariantCulture);
    }

    public static long? TemplateGeneration(V1DaemonSet ds) =>
        ds.Metadata.Annotations?.TryGetValue(TemplateGenerationAnnotation, out var text) == true
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    protected override void Validate(V1DaemonSet obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1DaemonSetSpec();
        ValidateSelector(spec, errors);
        ReplicaTemplateValidation.ValidateTemplate(spec.Template, Spec.Child("template"), "DaemonSet", errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.MinReadySeconds, Spec.Child("minReadySeconds"), errors);
        ValidateStrategy(spec.UpdateStrategy ?? new V1DaemonSetUpdateStrategy(), Spec.Child("updateStrategy"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.RevisionHistoryLimit, Spec.Child("revisionHistoryLimit"), errors);
    }

    protected override void ValidateUpdate(V1DaemonSet obj, V1DaemonSet old, List<FieldError> errors)
    {
        ReplicaTemplateValidation.ValidateSelectorUnchanged(obj.Spec?.Selector, old.Spec?.Selector, Spec.Child("selector"), errors);
        Validate(obj, errors);
    }

    /// <summary>
    /// Unlike a Deployment's, a missing selector is not "Required": it selects nothing, so the template's labels
    /// fail to match it.
    /// </summary>
    private static void ValidateSelector(V1DaemonSetSpec spec, List<FieldError> errors)
    {
        var path = Spec.Child("selector");
        LabelSelector? selector = null;
        if (spec.Selector is { } model)
        {
            errors.AddRange(LabelSelectorValidation.Validate(model, path));
            try
            {
                selector = LabelSelector.FromModel(model);
            }
            catch (SelectorParseException)
            {
                // Reported by the validation above; kube skips the template match when the selector does not convert.
            }
        }
        else
        {
            selector = LabelSelector.Nothing;
        }

        if (selector is not null && !selector.Matches(spec.Template?.Metadata))
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("template").Child("metadata").Child("labels"), GoValue.Map(spec.Template?.Metadata?.Labels),
                "`selector` does not match template `labels`"));
        }

        if (spec.Selector is { } given && (given.MatchLabels?.Count ?? 0) + (given.MatchExpressions?.Count ?? 0) == 0)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.LabelSelector(given), "empty selector is invalid for daemonset"));
        }
    }

    private static void ValidateStrategy(V1DaemonSetUpdateStrategy strategy, FieldPath path, List<FieldError> errors)
    {
        switch (strategy.Type)
        {
            case "OnDelete":
                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is null)
                {
                    errors.Add(FieldErrors.Required(path.Child("rollingUpdate"), ""));
                }
                else
                {
                    ValidateRollingUpdate(strategy.RollingUpdate, path.Child("rollingUpdate"), errors);
                }

                break;
            default:
                errors.Add(FieldErrors.NotSupported(path, GoValue.Struct("apps.DaemonSetUpdateStrategy"), StrategyTypes));
                break;
        }
    }

    /// <summary>Exactly one of maxUnavailable and maxSurge is non-zero (<c>ValidateRollingUpdateDaemonSet</c>).</summary>
    private static void ValidateRollingUpdate(V1RollingUpdateDaemonSet rollingUpdate, FieldPath path, List<FieldError> errors)
    {
        IntOrPercentValidation.ValidatePositive(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
        IntOrPercentValidation.ValidatePositive(rollingUpdate.MaxSurge, path.Child("maxSurge"), errors);
        IntOrPercentValidation.ValidateNotMoreThan100Percent(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
        IntOrPercentValidation.ValidateNotMoreThan100Percent(rollingUpdate.MaxSurge, path.Child("maxSurge"), errors);
        var hasUnavailable = IntOrPercentValidation.Amount(rollingUpdate.MaxUnavailable) != 0;
        var hasSurge = IntOrPercentValidation.Amount(rollingUpdate.MaxSurge) != 0;
        if (hasUnavailable && hasSurge)
        {
            errors.Add(FieldErrors.Invalid(path.Child("maxSurge"), GoValue.IntOrString(rollingUpdate.MaxSurge), "may not be set when maxUnavailable is non-zero"));
        }
        else if (!hasUnavailable && !hasSurge)
        {
            errors.Add(FieldErrors.Required(path.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
        }
    }
}
