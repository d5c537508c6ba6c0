using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ReplicationControllers: one replica by default, and a selector and labels taken from the template when
/// absent (so that <c>kubectl expose rc</c> finds them); validated by <c>ValidateReplicationControllerSpec</c>.
/// </summary>
public sealed class ReplicationControllerRules() : ResourceRules<V1ReplicationController>(ResourceCatalog.Get("", "replicationcontrollers"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");

    protected override void Default(V1ReplicationController obj)
    {
        var spec = obj.Spec ??= new V1ReplicationControllerSpec();
        if (spec.Template?.Metadata?.Labels is { } labels)
        {
            if ((spec.Selector?.Count ?? 0) == 0)
            {
                spec.Selector = new Dictionary<string, string>(labels);
            }

            obj.Metadata ??= new V1ObjectMeta();
            if ((obj.Metadata.Labels?.Count ?? 0) == 0)
            {
                obj.Metadata.Labels = new Dictionary<string, string>(labels);
            }
        }

        spec.Replicas ??= 1;
        PodSpecDefaults.DefaultTemplate(spec.Template);
    }

    protected override void Validate(V1ReplicationController obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ReplicationControllerSpec();
        ReplicaTemplateValidation.ValidateNonNegative(spec.MinReadySeconds, Spec.Child("minReadySeconds"), errors);
        if ((spec.Selector?.Count ?? 0) == 0)
        {
            errors.Add(FieldErrors.Required(Spec.Child("selector")));
        }

        ReplicaTemplateValidation.ValidateNonNegative(spec.Replicas, Spec.Child("replicas"), errors);
        ReplicaTemplateValidation.Validate(spec.Template, LabelSelector.FromSet(spec.Selector), Spec.Child("template"), "ReplicationController", errors);
    }
}
