using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>ReplicaSets (apps/v1): one replica by default; <c>ValidateReplicaSetSpec</c>; the selector is immutable.</summary>
public sealed class ReplicaSetRules() : ResourceRules<V1ReplicaSet>(ResourceCatalog.Get("apps", "replicasets"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");

    protected override void Default(V1ReplicaSet obj)
    {
        var spec = obj.Spec ??= new V1ReplicaSetSpec();
        spec.Replicas ??= 1;
        PodSpecDefaults.DefaultTemplate(spec.Template);
    }

    protected override void Validate(V1ReplicaSet obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ReplicaSetSpec();
        ReplicaTemplateValidation.ValidateNonNegative(spec.Replicas, Spec.Child("replicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.MinReadySeconds, Spec.Child("minReadySeconds"), errors);
        if (ReplicaTemplateValidation.ValidateSelector(spec.Selector, Spec.Child("selector"), errors) is { } selector)
        {
            ReplicaTemplateValidation.Validate(spec.Template, selector, Spec.Child("template"), "ReplicaSet", errors);
        }
    }

    protected override void ValidateUpdate(V1ReplicaSet obj, V1ReplicaSet old, List<FieldError> errors)
    {
        Validate(obj, errors);
        ReplicaTemplateValidation.ValidateSelectorUnchanged(obj.Spec?.Selector, old.Spec?.Selector, Spec.Child("selector"), errors);
    }
}
