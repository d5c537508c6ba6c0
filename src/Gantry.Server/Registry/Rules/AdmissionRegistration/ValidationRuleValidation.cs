using Gantry.Core.Cel;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateValidation</c> for each of a policy's <c>validations</c>: an expression that compiles, a message
/// expression that compiles without the authorizer, a message on one line, and a reason kube can answer with.
/// </summary>
internal static class ValidationRuleValidation
{
    public static void Validate(V1Validation validation, CelEnvironment environment, CelEnvironment messageEnvironment, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var expression = validation.Expression ?? "";
        if (expression.Trim().Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("expression"), "expression is not specified"));
        }
        else
        {
            CelExpressionValidation.Validate(expression, expression, environment, path.Child("expression"), errors);
        }

        var messageExpression = validation.MessageExpression ?? "";
        if (messageExpression.Length > 0 && messageExpression.Trim().Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("messageExpression"), messageExpression, "must be non-empty if specified"));
        }
        else if (messageExpression.Length > 0)
        {
            // As written, not trimmed, so that compiler errors point at the right column (as kube does).
            CelExpressionValidation.Validate(
                messageExpression, messageExpression, messageEnvironment, path.Child("messageExpression"), errors);
        }

        var message = validation.Message ?? "";
        if (message.Length > 0 && message.Trim().Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("message"), message, "message must be non-empty if specified"));
        }
        else if (message.Trim().AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("message"), message, "message must not contain line breaks"));
        }

        if (validation.Reason is { } reason && !PolicyValues.Reasons.Contains(reason))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("reason"), reason, PolicyValues.Reasons));
        }
    }
}
