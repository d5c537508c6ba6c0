using Gantry.Core.Cel;
using Gantry.Core.Validation;
using Gantry.Server.Admission.Webhooks;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateMatchConditions</c>: at most 64, each named with a unique qualified name and an expression that
/// compiles. An expression valid in CEL that Gantry's engine cannot evaluate (it names the <c>authorizer</c>, a function
/// the engine lacks) is refused too, so that no configuration is stored whose webhook would then fail every call.
/// </summary>
internal static class MatchConditionValidation
{
    private const int MaxConditions = 64;

    public static void Validate(IList<V1MatchCondition>? conditions, FieldPath path, List<FieldError> errors)
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
            Expression(condition.Expression, at.Child("expression"), errors);
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

    private static void Expression(string? expression, FieldPath path, List<FieldError> errors)
    {
        var trimmed = expression?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        try
        {
            var program = CelProgram.Compile(trimmed, [.. MatchConditions.Variables]);
            if (program.ReferencedVariables.Contains("authorizer"))
            {
                errors.Add(FieldErrors.Forbidden(path, "Gantry's CEL engine does not offer the authorizer variable"));
            }
        }
        catch (CelUnsupportedException e)
        {
            errors.Add(FieldErrors.Forbidden(path, $"Gantry's CEL engine cannot evaluate this expression: {e.Message}"));
        }
        catch (CelCompileException e)
        {
            errors.Add(FieldErrors.Invalid(path, trimmed, $"compilation failed: {e.Message}"));
        }
    }
}
