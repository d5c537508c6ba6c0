using Gantry.Core.Cel;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>One of a policy's <c>validations</c>: its expression, and what a request it fails is told.</summary>
/// <param name="Reason">The Status reason of a refusal; kube's <c>Invalid</c> where unset.</param>
public sealed record PolicyValidation(PolicyExpression Expression, string? Message, PolicyExpression? MessageExpression, string? Reason)
{
    public static PolicyValidation Of(V1Validation validation, CelEnvironment environment, CelEnvironment messageEnvironment) =>
        new(
            PolicyExpression.Compile(validation.Expression, environment),
            validation.Message,
            string.IsNullOrWhiteSpace(validation.MessageExpression) ? null : PolicyExpression.Compile(validation.MessageExpression, messageEnvironment),
            validation.Reason);
}
