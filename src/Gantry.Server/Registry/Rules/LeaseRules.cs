using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>Leases (coordination.k8s.io/v1): <c>ValidateLeaseSpec</c>'s duration and transition checks.</summary>
public sealed class LeaseRules() : ResourceRules<V1Lease>(ResourceCatalog.Get("coordination.k8s.io", "leases"))
{
    protected override void Validate(V1Lease obj, List<FieldError> errors)
    {
        var spec = obj.Spec;
        if (spec?.LeaseDurationSeconds is <= 0)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("spec", "leaseDurationSeconds"), spec.LeaseDurationSeconds.Value, "must be greater than 0"));
        }

        if (spec?.LeaseTransitions is < 0)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("spec", "leaseTransitions"), spec.LeaseTransitions.Value, FormatValidation.IsNegative));
        }
    }
}
