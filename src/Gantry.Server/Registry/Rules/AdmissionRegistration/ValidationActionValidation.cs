using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateValidationActions</c>: what a binding does with a failed validation, at least one action, each at
/// most once, and not both Deny and Warn (the same failure would be both the response and its warning headers).
/// </summary>
internal static class ValidationActionValidation
{
    public static void Validate(IList<string>? actions, FieldPath path, List<FieldError> errors)
    {
        var given = (actions ?? []).Select(a => a ?? "").ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < given.Count; i++)
        {
            if (!PolicyValues.ValidationActions.Contains(given[i]))
            {
                errors.Add(FieldErrors.NotSupported(path.Index(i), given[i], PolicyValues.ValidationActions));
            }

            if (!seen.Add(given[i]))
            {
                errors.Add(FieldErrors.Duplicate(path.Index(i), given[i]));
            }
        }

        if (seen.Contains(PolicyValues.Deny) && seen.Contains(PolicyValues.Warn))
        {
            errors.Add(FieldErrors.Invalid(path, GoActions(given),
                "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
        }

        if (seen.Count == 0)
        {
            errors.Add(FieldErrors.Required(path, "at least one validation action is required"));
        }
    }

    /// <summary>The actions as Go's <c>%#v</c> prints kube's internal <c>[]admissionregistration.ValidationAction</c>.</summary>
    private static GoValue GoActions(List<string> actions) =>
        new("[]admissionregistration.ValidationAction{" + string.Join(", ", actions.Select(GoValue.Quote)) + "}");
}
