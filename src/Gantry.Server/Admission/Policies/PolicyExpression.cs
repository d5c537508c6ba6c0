using Gantry.Core.Cel;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// One CEL expression of a policy, compiled once per version of it. An expression that does not compile (one stored
/// before Gantry's engine refused it) fails each evaluation with kube's "compilation error", for the failure policy to judge.
/// </summary>
public sealed class PolicyExpression
{
    private readonly CelProgram? _program;
    private readonly string? _error;

    private PolicyExpression(string expression, CelProgram? program, string? error)
    {
        Expression = expression;
        _program = program;
        _error = error;
    }

    public string Expression { get; }

    public static PolicyExpression Compile(string? expression, CelEnvironment environment)
    {
        var trimmed = expression?.Trim() ?? "";
        try
        {
            return new(trimmed, PolicyExpressions.Compile(trimmed, environment), null);
        }
        catch (CelException e)
        {
            return new(trimmed, null, e.Message);
        }
    }

    /// <exception cref="PolicyEvaluationException">The expression did not compile, or failed to evaluate (kube's words).</exception>
    public object? Evaluate(IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        if (_program is null)
        {
            throw new PolicyEvaluationException($"compilation error: {_error}");
        }

        try
        {
            return _program.Evaluate(variables, cancellationToken);
        }
        catch (CelException e)
        {
            throw new PolicyEvaluationException($"expression '{Expression}' resulted in error: {e.Message}");
        }
    }
}
