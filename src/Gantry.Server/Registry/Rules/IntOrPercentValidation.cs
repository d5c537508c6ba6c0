using System.Globalization;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>The apps validation helpers for maxSurge and maxUnavailable (<c>ValidatePositiveIntOrPercent</c> and its kin).</summary>
internal static class IntOrPercentValidation
{
    /// <summary>A non-negative integer or a valid percentage.</summary>
    public static void ValidatePositive(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        var text = value?.Value ?? "0";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            ReplicaTemplateValidation.ValidateNonNegative(number, path, errors);
        }
        else
        {
            errors.AddRange(FormatValidation.IsValidPercent(text).Select(m => FieldErrors.Invalid(path, GoValue.IntOrString(value), m)));
        }
    }

    public static void ValidateNotMoreThan100Percent(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        if (IsPercent(value, out var percent) && percent > 100)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.IntOrString(value), "must not be greater than 100%"));
        }
    }

    /// <summary>The number or the percentage, without its sign (<c>getIntOrPercentValue</c>).</summary>
    public static int Amount(IntOrString? value) =>
        IsPercent(value, out var percent) ? percent
        : int.TryParse(value?.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static bool IsPercent(IntOrString? value, out int percent)
    {
        percent = 0;
        var text = value?.Value ?? "";
        return FormatValidation.IsValidPercent(text).Count == 0 &&
            int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out percent);
    }
}
