using Gantry.Core.Cel;
using Gantry.Core.Validation;
using Gantry.Server.Admission.Webhooks;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateMatchConditions</c>: at most 64, each named with a unique qualified name and an expression that
/// compiles, and that Gantry's engine can evaluate (<see cref="CelExpressionValidation"/>).
/// </summary>
internal static class MatchConditionValidation
{
    private const int MaxConditions = 64;

    /// <summary>The match conditions of a webhook, whose expressions see the request, the objects and the authorizer.</summary>
    public static void Validate(IList<V1MatchCondition>? conditions, FieldPath path, List<FieldError> errors) =>
        Validate(conditions, new CelEnvironment(MatchConditions.Variables), path, errors);

    /// <summary>Match conditions whose expressions are compiled in <paramref name="environment"/> (a policy's offers more).</summary>
    public static void Validate(IList<V1MatchCondition>? conditions, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.Count > MaxConditions)
        {
            errors.Add(FieldErrors.TooMany(path, conditions.Count, MaxConditions));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i] ?? new V1MatchCondition();
            var at = path.Index(i);
            Expression(condition.Expression, environment, at.Child("expression"), errors);
            if (string.IsNullOrEmpty(condition.Name))
            {
                errors.Add(FieldErrors.Required(at.Child("name")));
            }
            else
            {
                errors.AddRange(FormatValidation.IsQualifiedName(condition.Name).Select(m => FieldErrors.Invalid(at.Child("name"), condition.Name, m)));
                if (!names.Add(condition.Name))
                {
                    errors.Add(FieldErrors.Duplicate(at.Child("name"), condition.Name));
                }
            }
        }
    }

    private static void Expression(string? expression, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        var trimmed = expression?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        CelExpressionValidation.Validate(trimmed, trimmed, environment, path, errors);
    }
}
