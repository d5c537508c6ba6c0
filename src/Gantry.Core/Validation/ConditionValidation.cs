using System.Text.RegularExpressions;
using k8s.Models;

namespace Gantry.Core.Validation;

/// <summary>apimachinery's <c>ValidateConditions</c>, the rules every <c>metav1.Condition</c> list in a status obeys.</summary>
public static partial class ConditionValidation
{
    private const int MaxReasonLength = 1024;
    private const int MaxMessageLength = 32 * 1024;
    private const string ReasonFormat = "[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?";
    private const string ReasonMessage =
        "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";

    private static readonly string[] Statuses = ["False", "True", "Unknown"];

    public static IReadOnlyList<FieldError> Validate(IList<V1Condition>? conditions, FieldPath path)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (conditions?.Count ?? 0); i++)
        {
            var condition = conditions![i];
            var at = path.Index(i);
            var type = condition.Type ?? "";
            if (!seen.Add(type))
            {
                errors.Add(FieldErrors.Duplicate(at.Child("type"), type));
            }

            errors.AddRange(FormatValidation.IsQualifiedName(type).Select(m => FieldErrors.Invalid(at.Child("type"), type, m)));
            if (!Statuses.Contains(condition.Status))
            {
                errors.Add(FieldErrors.NotSupported(at.Child("status"), condition.Status ?? "", Statuses));
            }

            if (condition.ObservedGeneration is < 0)
            {
                errors.Add(FieldErrors.Invalid(at.Child("observedGeneration"), condition.ObservedGeneration.Value, "must be greater than or equal to zero"));
            }

            if (condition.LastTransitionTime == default)
            {
                errors.Add(FieldErrors.Required(at.Child("lastTransitionTime"), "must be set"));
            }

            ValidateReason(condition.Reason ?? "", at.Child("reason"), errors);
            if ((condition.Message?.Length ?? 0) > MaxMessageLength)
            {
                errors.Add(FieldErrors.TooLong(at.Child("message"), MaxMessageLength));
            }
        }

        return errors;
    }

    private static void ValidateReason(string reason, FieldPath path, List<FieldError> errors)
    {
        if (reason.Length == 0)
        {
            errors.Add(FieldErrors.Required(path, "must be set"));
            return;
        }

        if (!ReasonRegex().IsMatch(reason))
        {
            errors.Add(FieldErrors.Invalid(path, reason,
                FormatValidation.RegexError(ReasonMessage, ReasonFormat, "my_name", "MY_NAME", "MyName", "ReasonA,ReasonB", "ReasonA:ReasonB")));
        }

        if (reason.Length > MaxReasonLength)
        {
            errors.Add(FieldErrors.TooLong(path, MaxReasonLength));
        }
    }

    [GeneratedRegex("^" + ReasonFormat + "$")]
    private static partial Regex ReasonRegex();
}
