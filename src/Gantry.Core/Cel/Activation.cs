namespace Gantry.Core.Cel;

/// <summary>
/// The state of one evaluation: the caller's variables, the comprehension variables in scope (a stack, since
/// evaluation is sequential) and the step budget that stops runaway expressions.
/// </summary>
internal sealed class Activation(IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
{
    /// <summary>Comprehension iterations allowed per evaluation, in the spirit of kube's per-call cost limit.</summary>
    public const long MaxSteps = 1_000_000;

    private readonly List<(string Name, object? Value)> _locals = [];
    private long _steps;

    public object? Resolve(string name)
    {
        for (var i = _locals.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_locals[i].Name, name, StringComparison.Ordinal))
            {
                return _locals[i].Value;
            }
        }
        if (variables.TryGetValue(name, out var value))
        {
            return CelValues.Normalize(value);
        }
        throw new CelEvaluationException($"no such attribute: {name}");
    }

    public void PushLocal(string name, object? value) => _locals.Add((name, value));

    public void SetLocal(object? value) => _locals[^1] = (_locals[^1].Name, value);

    public void PopLocal() => _locals.RemoveAt(_locals.Count - 1);

    /// <summary>Counts one unit of work (an iteration, an element) and stops when cancelled or over budget.</summary>
    public void Step(long units = 1)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _steps += units;
        if (_steps > MaxSteps)
        {
            throw CelErrors.CostLimit();
        }
    }
}
