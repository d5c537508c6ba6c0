using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateValidatingAdmissionPolicyStatus</c>: each type-checking warning says what is wrong and where, and
/// the conditions obey the rules of every <c>metav1.Condition</c>.
/// </summary>
internal static class PolicyStatusValidation
{
    private static readonly FieldPath Status = FieldPath.Of("status");

    public static void Validate(V1ValidatingAdmissionPolicyStatus? status, List<FieldError> errors)
    {
        var warnings = status?.TypeChecking?.ExpressionWarnings ?? [];
        var path = Status.Child("typeChecking").Child("expressionWarnings");
        for (var i = 0; i < warnings.Count; i++)
        {
            var warning = warnings[i] ?? new V1ExpressionWarning();
            if (string.IsNullOrEmpty(warning.Warning))
            {
                errors.Add(FieldErrors.Required(path.Index(i).Child("warning")));
            }

            // kube also parses the field reference as a JSONPath; only that it names something is checked here.
            if ((warning.FieldRef ?? "").Trim().Length == 0)
            {
                errors.Add(FieldErrors.Required(path.Index(i).Child("fieldRef")));
            }
        }

        errors.AddRange(ConditionValidation.Validate(status?.Conditions, Status.Child("conditions")));
    }
}
