using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// PriorityClasses (scheduling.k8s.io/v1): preemption policy PreemptLowerPriority by default; user classes
/// stay at or below one billion, <c>system-</c> names are reserved; value and policy are immutable.
/// </summary>
public sealed class PriorityClassRules() : ResourceRules<V1PriorityClass>(ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses"))
{
    public const int HighestUserDefinablePriority = 1000000000;

    private static readonly string[] PreemptionPolicies = ["PreemptLowerPriority", "Never"];

    protected override void Default(V1PriorityClass obj)
    {
        if (string.IsNullOrEmpty(obj.PreemptionPolicy))
        {
            obj.PreemptionPolicy = "PreemptLowerPriority";
        }
    }

    protected override void Validate(V1PriorityClass obj, List<FieldError> errors)
    {
        var name = obj.Metadata?.Name ?? "";
        var value = obj.Value ?? 0;
        if (name.StartsWith("system-", StringComparison.Ordinal))
        {
            var problem = SystemPriorityClasses.ValueOf(name) is not { } expected ? $"{name} is not a known system priority class"
                : expected != value ? $"value of {name} PriorityClass must be {expected}"
                : obj.GlobalDefault == true ? $"globalDefault of {name} PriorityClass must be false"
                : null;
            if (problem is not null)
            {
                errors.Add(FieldErrors.Forbidden(FieldPath.Of("metadata", "name"),
                    $"priority class names with 'system-' prefix are reserved for system use only. error: {problem}"));
            }
        }
        else if (value > HighestUserDefinablePriority)
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("value"), $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}"));
        }

        if (obj.PreemptionPolicy is not null)
        {
            PodSpecValidation.ValidateEnum(obj.PreemptionPolicy, PreemptionPolicies, FieldPath.Of("preemptionPolicy"), errors);
        }
    }

    protected override void ValidateUpdate(V1PriorityClass obj, V1PriorityClass old, List<FieldError> errors)
    {
        if ((obj.Value ?? 0) != (old.Value ?? 0))
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("value"), "may not be changed in an update."));
        }

        if (obj.PreemptionPolicy != old.PreemptionPolicy)
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("preemptionPolicy"), obj.PreemptionPolicy));
        }
    }
}
