using Gantry.Core.Cel;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// One evaluation of a policy for a request, with one param, as kube's validator makes it: its match conditions (a
/// false one skips the policy), its variables, then each validation and audit annotation, into the refusals they give.
/// An expression that cannot give an answer refuses under <c>failurePolicy: Fail</c> and is passed over under
/// <c>Ignore</c>. Variables are evaluated in order, each seeing those before it; one that cannot be evaluated is left
/// out of <c>variables</c>.
/// </summary>
internal static class PolicyEvaluation
{
    /// <summary>kube's limit on an evaluated message, in bytes; a longer one gives way to the static message.</summary>
    private const int MaxMessageLength = 5 * 1024;

    /// <param name="variables">The request's variables (<c>object</c>, <c>oldObject</c>, <c>request</c>, <c>namespaceObject</c>, <c>params</c>).</param>
    public static List<PolicyDecision> Evaluate(ValidatingPolicy policy, Dictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        variables["variables"] = Variables(policy, variables, cancellationToken);
        var decisions = new List<PolicyDecision>();
        // kube evaluates a policy's match conditions without the namespace object.
        var (matches, error) = policy.Conditions.Match(new Dictionary<string, object?>(variables) { ["namespaceObject"] = null }, cancellationToken);
        if (error is not null)
        {
            if (policy.FailClosed)
            {
                decisions.Add(new PolicyDecision(error));
            }

            return decisions;
        }

        if (!matches)
        {
            return decisions;
        }

        foreach (var validation in policy.Validations)
        {
            try
            {
                if (validation.Expression.Evaluate(variables, cancellationToken) is not true)
                {
                    decisions.Add(new PolicyDecision(Message(validation, variables, cancellationToken), validation.Reason));
                }
            }
            catch (PolicyEvaluationException e) when (policy.FailClosed)
            {
                decisions.Add(new PolicyDecision(e.Message));
            }
            catch (PolicyEvaluationException)
            {
                // failurePolicy Ignore: the validation admits.
            }
        }

        foreach (var (_, value) in policy.AuditAnnotations)
        {
            if (AuditAnnotationError(value, variables, cancellationToken) is { } failure && (policy.FailClosed || failure.EvenIfIgnored))
            {
                decisions.Add(failure.Decision);
            }
        }

        return decisions;
    }

    /// <remarks>A name given twice holds its last definition, as kube's composition stores them.</remarks>
    private static CelMap Variables(ValidatingPolicy policy, Dictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, expression) in policy.Variables)
        {
            variables["variables"] = Map(values);
            try
            {
                values[name] = expression.Evaluate(variables, cancellationToken);
            }
            catch (PolicyEvaluationException)
            {
                // Left out: an expression that names it fails on the missing key.
                values.Remove(name);
            }
        }

        return Map(values);
    }

    private static CelMap Map(Dictionary<string, object?> values) => new(values.Select(v => KeyValuePair.Create<object, object?>(v.Key, v.Value)));

    /// <summary>
    /// kube's message for a failed validation: the message expression's string when it gives a usable one (trimmed, not
    /// empty, one line, not too long), else the static message, else the expression itself.
    /// </summary>
    private static string Message(PolicyValidation validation, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        if (validation.MessageExpression is { } messageExpression)
        {
            try
            {
                if (messageExpression.Evaluate(variables, cancellationToken) is string evaluated
                    && evaluated.Trim() is { Length: > 0 } trimmed
                    && System.Text.Encoding.UTF8.GetByteCount(trimmed) <= MaxMessageLength
                    && !trimmed.Contains('\n', StringComparison.Ordinal))
                {
                    return trimmed;
                }
            }
            catch (PolicyEvaluationException)
            {
                // kube falls back to the static message.
            }
        }

        return validation.Message?.Trim() is { Length: > 0 } message ? message : $"failed expression: {validation.Expression.Expression}";
    }

    /// <summary>
    /// What an audit annotation's value refuses: an expression that cannot be evaluated (under the failure policy), or a
    /// value neither a string nor null (always). Gantry keeps no audit log, so a good value is published nowhere.
    /// </summary>
    /// <remarks>Either refuses the request whatever the binding's validation actions, as kube's audit annotation errors do.</remarks>
    private static (PolicyDecision Decision, bool EvenIfIgnored)? AuditAnnotationError(
        PolicyExpression value, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        try
        {
            var result = value.Evaluate(variables, cancellationToken);
            return result is null or string
                ? null
                : (new PolicyDecision(
                    $"valueExpression '{value.Expression}' resulted in unsupported return type: {CelType.Of(result).Name}. Return type must be either string or null.",
                    Always: true), true);
        }
        catch (PolicyEvaluationException e)
        {
            return (new PolicyDecision(e.Message, Always: true), false);
        }
    }
}
