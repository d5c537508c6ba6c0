using k8s.Models;

namespace Gantry.Core.Validation;

/// <summary>Validation of a <c>metav1.LabelSelector</c> field (<c>spec.selector</c> of ReplicaSets, Deployments, Jobs).</summary>
public static class LabelSelectorValidation
{
    /// <summary>
    /// apimachinery's <c>ValidateLabelSelector</c>. <paramref name="allowInvalidLabelValues"/> is its
    /// <c>AllowInvalidLabelValueInSelector</c> option, which skips the label-value check of <c>matchExpressions</c> values
    /// (for updates of objects stored before that check existed).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(V1LabelSelector? selector, FieldPath path, bool allowInvalidLabelValues = false)
    {
        var errors = new List<FieldError>();
        if (selector is null)
        {
            return errors;
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabels(selector.MatchLabels, path.Child("matchLabels")));
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            errors.AddRange(ValidateRequirement(expressions[i], allowInvalidLabelValues, path.Child("matchExpressions").Index(i)));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateRequirement(V1LabelSelectorRequirement requirement, bool allowInvalidLabelValues, FieldPath path)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn":
                if (values.Count == 0)
                {
                    yield return FieldErrors.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }

                break;
            case "Exists" or "DoesNotExist":
                if (values.Count > 0)
                {
                    yield return FieldErrors.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }

                break;
            default:
                yield return FieldErrors.Invalid(path.Child("operator"), requirement.OperatorProperty ?? "", "not a valid selector operator");
                break;
        }

        foreach (var error in ObjectMetaValidation.ValidateLabelName(requirement.Key ?? "", path.Child("key")))
        {
            yield return error;
        }

        for (var i = 0; i < values.Count && !allowInvalidLabelValues; i++)
        {
            foreach (var message in FormatValidation.IsValidLabelValue(values[i] ?? ""))
            {
                yield return FieldErrors.Invalid(path.Child("values").Index(i), values[i], message);
            }
        }
    }
}
