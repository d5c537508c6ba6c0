using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// StatefulSets (apps/v1): <c>SetDefaults_StatefulSet</c> (OrderedReady, RollingUpdate from partition 0, claims
/// retained, one replica, ten revisions), <c>ValidateStatefulSetSpec</c>, and <c>ValidateStatefulSetUpdate</c>, which
/// lets only the replicas, ordinals, template, update strategy, claim retention policy and minReadySeconds change.
/// </summary>
public sealed class StatefulSetRules() : ResourceRules<V1StatefulSet>(ResourceCatalog.Get("apps", "statefulsets"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath Status = FieldPath.Of("status");
    private static readonly string[] AlwaysOnly = ["Always"];
    private static readonly string[] RetentionPolicies = ["Retain", "Delete"];

    protected override void Default(V1StatefulSet obj)
    {
        var spec = obj.Spec ??= new V1StatefulSetSpec();
        if (string.IsNullOrEmpty(spec.PodManagementPolicy))
        {
            spec.PodManagementPolicy = "OrderedReady";
        }

        var strategy = spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = "RollingUpdate";
            strategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
        }

        if (strategy is { Type: "RollingUpdate", RollingUpdate: { } rollingUpdate })
        {
            rollingUpdate.Partition ??= 0;

            // The MaxUnavailableStatefulSet gate is off in 1.32, so the strategy drops the field (dropStatefulSetDisabledFields).
            rollingUpdate.MaxUnavailable = null;
        }

        var retention = spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        retention.WhenDeleted ??= "Retain";
        retention.WhenScaled ??= "Retain";
        spec.Replicas ??= 1;
        spec.RevisionHistoryLimit ??= 10;
        PodSpecDefaults.DefaultTemplate(spec.Template);
        foreach (var claim in spec.VolumeClaimTemplates ?? [])
        {
            // SetDefaults_PersistentVolumeClaim and SetDefaults_PersistentVolumeClaimSpec, which reach the templates.
            (claim.Spec ??= new V1PersistentVolumeClaimSpec()).VolumeMode ??= "Filesystem";
            var claimStatus = claim.Status ??= new V1PersistentVolumeClaimStatus();
            if (string.IsNullOrEmpty(claimStatus.Phase))
            {
                claimStatus.Phase = "Pending";
            }
        }
    }

    protected override void Validate(V1StatefulSet obj, List<FieldError> errors) => ValidateSpec(obj.Spec ?? new V1StatefulSetSpec(), errors);

    protected override void ValidateUpdate(V1StatefulSet obj, V1StatefulSet old, List<FieldError> errors)
    {
        ValidateSpec(obj.Spec ?? new V1StatefulSetSpec(), errors);
        var clone = SemanticEquality.Clone(obj.Spec ?? new V1StatefulSetSpec());
        var before = old.Spec ?? new V1StatefulSetSpec();
        clone.Replicas = before.Replicas;
        clone.Template = before.Template;
        clone.UpdateStrategy = before.UpdateStrategy;
        clone.MinReadySeconds = before.MinReadySeconds;
        clone.Ordinals = before.Ordinals;
        clone.PersistentVolumeClaimRetentionPolicy = before.PersistentVolumeClaimRetentionPolicy;
        if (!SemanticEquality.AreEqual(clone, before))
        {
            errors.Add(FieldErrors.Forbidden(Spec,
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
    }

    /// <summary><c>ValidateStatefulSetStatusUpdate</c>: the counts, and a collision count that never goes down.</summary>
    protected override void ValidateStatusUpdate(V1StatefulSet obj, V1StatefulSet old, List<FieldError> errors)
    {
        var status = obj.Status ?? new V1StatefulSetStatus();
        ReplicaTemplateValidation.ValidateNonNegative(status.Replicas, Status.Child("replicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.ReadyReplicas, Status.Child("readyReplicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.CurrentReplicas, Status.Child("currentReplicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.UpdatedReplicas, Status.Child("updatedReplicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.AvailableReplicas, Status.Child("availableReplicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.ObservedGeneration, Status.Child("observedGeneration"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(status.CollisionCount, Status.Child("collisionCount"), errors);
        const string AboveReplicas = "cannot be greater than status.replicas";
        NotAbove(status.ReadyReplicas, status.Replicas, "readyReplicas", AboveReplicas, errors);
        NotAbove(status.CurrentReplicas, status.Replicas, "currentReplicas", AboveReplicas, errors);
        NotAbove(status.UpdatedReplicas, status.Replicas, "updatedReplicas", AboveReplicas, errors);
        NotAbove(status.AvailableReplicas, status.Replicas, "availableReplicas", AboveReplicas, errors);
        NotAbove(status.AvailableReplicas, status.ReadyReplicas, "availableReplicas", "cannot be greater than status.readyReplicas", errors);
        if (status.CollisionCount is var count && old.Status?.CollisionCount is { } oldCount && (count ?? 0) < oldCount)
        {
            errors.Add(FieldErrors.Invalid(Status.Child("collisionCount"), count ?? 0, "cannot be decremented"));
        }
    }

    private static void NotAbove(int? value, int? limit, string field, string detail, List<FieldError> errors)
    {
        if ((value ?? 0) > (limit ?? 0))
        {
            errors.Add(FieldErrors.Invalid(Status.Child(field), value ?? 0, detail));
        }
    }

    private static void ValidateSpec(V1StatefulSetSpec spec, List<FieldError> errors)
    {
        switch (spec.PodManagementPolicy)
        {
            case null or "":
                errors.Add(FieldErrors.Required(Spec.Child("podManagementPolicy")));
                break;
            case "OrderedReady" or "Parallel":
                break;
            default:
                errors.Add(FieldErrors.Invalid(Spec.Child("podManagementPolicy"), spec.PodManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
                break;
        }

        ValidateStrategy(spec.UpdateStrategy ?? new V1StatefulSetUpdateStrategy(), errors);
        if (spec.PersistentVolumeClaimRetentionPolicy is { } retention)
        {
            var path = Spec.Child("persistentVolumeClaimRetentionPolicy");
            ValidateRetentionPolicy(retention.WhenDeleted, path.Child("whenDeleted"), errors);
            ValidateRetentionPolicy(retention.WhenScaled, path.Child("whenScaled"), errors);
        }

        ReplicaTemplateValidation.ValidateNonNegative(spec.Replicas, Spec.Child("replicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.MinReadySeconds, Spec.Child("minReadySeconds"), errors);
        if (spec.Ordinals is { } ordinals)
        {
            // kube names this path with a dot inside one segment.
            ReplicaTemplateValidation.ValidateNonNegative(ordinals.Start, Spec.Child("ordinals.start"), errors);
        }

        ValidateSelectorAndTemplate(spec, errors);
        var podSpec = spec.Template?.Spec ?? new V1PodSpec();
        if (podSpec.RestartPolicy != "Always")
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("template").Child("spec").Child("restartPolicy"), podSpec.RestartPolicy ?? "", AlwaysOnly));
        }

        if (podSpec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("template").Child("spec").Child("activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"));
        }
    }

    private static void ValidateStrategy(V1StatefulSetUpdateStrategy strategy, List<FieldError> errors)
    {
        var path = Spec.Child("updateStrategy");
        switch (strategy.Type)
        {
            case null or "":
                errors.Add(FieldErrors.Required(path));
                break;
            case "OnDelete":
                if (strategy.RollingUpdate is { } given)
                {
                    errors.Add(FieldErrors.Invalid(path.Child("rollingUpdate"), RollingUpdateValue(given), "only allowed for updateStrategy 'RollingUpdate'"));
                }

                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is { } rollingUpdate)
                {
                    ValidateRollingUpdate(rollingUpdate, path.Child("rollingUpdate"), errors);
                }

                break;
            default:
                errors.Add(FieldErrors.Invalid(path, StrategyValue(strategy), "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }
    }

    /// <summary><c>validateRollingUpdateStatefulSet</c>.</summary>
    private static void ValidateRollingUpdate(V1RollingUpdateStatefulSetStrategy rollingUpdate, FieldPath path, List<FieldError> errors)
    {
        ReplicaTemplateValidation.ValidateNonNegative(rollingUpdate.Partition ?? 0, path.Child("partition"), errors);
        if (rollingUpdate.MaxUnavailable is { } maxUnavailable)
        {
            var maxPath = path.Child("maxUnavailable");
            IntOrPercentValidation.ValidatePositive(maxUnavailable, maxPath, errors);
            if (IntOrPercentValidation.Amount(maxUnavailable) == 0)
            {
                errors.Add(FieldErrors.Invalid(maxPath, GoValue.IntOrString(maxUnavailable), "cannot be 0"));
            }

            IntOrPercentValidation.ValidateNotMoreThan100Percent(maxUnavailable, maxPath, errors);
        }
    }

    private static void ValidateRetentionPolicy(string? policy, FieldPath path, List<FieldError> errors)
    {
        if (policy is not ("Retain" or "Delete"))
        {
            errors.Add(FieldErrors.NotSupported(path, policy ?? "", RetentionPolicies));
        }
    }

    /// <summary>
    /// A required, non-empty, valid selector that the template's labels match, and the template's labels and
    /// annotations; kube leaves the rest of a StatefulSet's pod template unchecked until a pod is made from it.
    /// </summary>
    private static void ValidateSelectorAndTemplate(V1StatefulSetSpec spec, List<FieldError> errors)
    {
        var path = Spec.Child("selector");
        if (spec.Selector is not { } model)
        {
            errors.Add(FieldErrors.Required(path));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(model, path));
            if ((model.MatchLabels?.Count ?? 0) + (model.MatchExpressions?.Count ?? 0) == 0)
            {
                errors.Add(FieldErrors.Invalid(path, GoValue.LabelSelector(model), "empty selector is invalid for statefulset"));
            }
        }

        LabelSelector selector;
        try
        {
            selector = LabelSelector.FromModel(spec.Selector);
        }
        catch (SelectorParseException)
        {
            errors.Add(FieldErrors.Invalid(path, spec.Selector is null ? null : GoValue.LabelSelector(spec.Selector), ""));
            return;
        }

        var templatePath = Spec.Child("template");
        var metadata = spec.Template?.Metadata;
        if (!selector.IsEmpty && !selector.Matches(metadata))
        {
            errors.Add(FieldErrors.Invalid(templatePath.Child("metadata").Child("labels"), GoValue.Map(metadata?.Labels),
                "`selector` does not match template `labels`"));
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabels(metadata?.Labels, templatePath.Child("labels")));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(metadata?.Annotations, templatePath.Child("annotations")));
    }

    /// <summary>Go's <c>%#v</c> of the internal strategy; a set pointer would print as an address, so it is elided.</summary>
    private static GoValue StrategyValue(V1StatefulSetUpdateStrategy strategy) =>
        strategy.RollingUpdate is null
            ? new GoValue($"apps.StatefulSetUpdateStrategy{{Type:{GoValue.Quote(strategy.Type ?? "")}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}")
            : GoValue.Struct("apps.StatefulSetUpdateStrategy");

    private static GoValue RollingUpdateValue(V1RollingUpdateStatefulSetStrategy rollingUpdate) =>
        rollingUpdate.MaxUnavailable is null
            ? new GoValue($"apps.RollingUpdateStatefulSetStrategy{{Partition:{rollingUpdate.Partition ?? 0}, MaxUnavailable:(*intstr.IntOrString)(nil)}}")
            : GoValue.Struct("apps.RollingUpdateStatefulSetStrategy");
}
