using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>kube's <c>validateVolumeNodeAffinity</c> and the <c>ValidateNodeSelector</c> it runs on the required terms.</summary>
internal static class VolumeNodeAffinityValidation
{
    public static void Validate(V1VolumeNodeAffinity affinity, FieldPath path, List<FieldError> errors)
    {
        if (affinity.Required is null)
        {
            errors.Add(FieldErrors.Required(path.Child("required"), "must specify required node constraints"));
            return;
        }

        var terms = path.Child("required").Child("nodeSelectorTerms");
        if (affinity.Required.NodeSelectorTerms is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(terms, "must have at least one node selector term"));
            return;
        }

        for (var i = 0; i < affinity.Required.NodeSelectorTerms.Count; i++)
        {
            var term = affinity.Required.NodeSelectorTerms[i];
            var at = terms.Index(i);
            for (var j = 0; j < (term.MatchExpressions?.Count ?? 0); j++)
            {
                ValidateRequirement(term.MatchExpressions![j], at.Child("matchExpressions").Index(j), errors);
            }

            for (var j = 0; j < (term.MatchFields?.Count ?? 0); j++)
            {
                ValidateFieldRequirement(term.MatchFields![j], at.Child("matchFields").Index(j), errors);
            }
        }
    }

    /// <summary>kube's <c>ValidateNodeSelectorRequirement</c>.</summary>
    private static void ValidateRequirement(V1NodeSelectorRequirement requirement, FieldPath path, List<FieldError> errors)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn" when values.Count == 0:
                errors.Add(FieldErrors.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case "Exists" or "DoesNotExist" when values.Count > 0:
                errors.Add(FieldErrors.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            case "Gt" or "Lt" when values.Count != 1:
                errors.Add(FieldErrors.Required(path.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                break;
            case "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt":
                break;
            default:
                errors.Add(FieldErrors.Invalid(path.Child("operator"), requirement.OperatorProperty ?? "", "not a valid selector operator"));
                break;
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabelName(requirement.Key ?? "", path.Child("key")));
        for (var i = 0; i < values.Count; i++)
        {
            errors.AddRange(FormatValidation.IsValidLabelValue(values[i]).Select(m => FieldErrors.Invalid(path.Child("values").Index(i), values[i], m)));
        }
    }

    /// <summary>kube's <c>ValidateNodeFieldSelectorRequirement</c>: only <c>metadata.name</c>, with In or NotIn and one value.</summary>
    private static void ValidateFieldRequirement(V1NodeSelectorRequirement requirement, FieldPath path, List<FieldError> errors)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn" when values.Count != 1:
                errors.Add(FieldErrors.Required(path.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
                break;
            case "In" or "NotIn":
                break;
            default:
                errors.Add(FieldErrors.Invalid(path.Child("operator"), requirement.OperatorProperty ?? "", "not a valid selector operator"));
                break;
        }

        if (requirement.Key != "metadata.name")
        {
            errors.Add(FieldErrors.Invalid(path.Child("key"), requirement.Key ?? "", "not a valid field selector key"));
        }
    }
}
