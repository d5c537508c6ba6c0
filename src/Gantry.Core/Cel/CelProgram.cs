namespace Gantry.Core.Cel;

/// <summary>
/// A compiled CEL expression, as kube-apiserver evaluates CRD <c>x-kubernetes-validations</c> rules and webhook
/// <c>matchConditions</c>. Evaluation is dynamic (no static type checker): type mismatches are runtime errors.
/// A program holds no per-evaluation state and may be evaluated concurrently.
/// </summary>
public sealed class CelProgram
{
    private readonly Node _root;

    private CelProgram(Node root, IReadOnlySet<string> referenced)
    {
        _root = root;
        ReferencedVariables = referenced;
    }

    /// <summary>The declared variables the expression refers to (e.g. whether it uses <c>oldSelf</c>).</summary>
    public IReadOnlySet<string> ReferencedVariables { get; }

    /// <summary>
    /// Parses and checks the expression. Throws <see cref="CelCompileException"/> (a syntax error, an undeclared
    /// variable not in <paramref name="variables"/>) or <see cref="CelUnsupportedException"/> (valid CEL that this
    /// engine does not implement: an unknown function/macro/feature), so a caller can skip a rule it cannot evaluate
    /// instead of refusing it.
    /// </summary>
    public static CelProgram Compile(string expression, IReadOnlyCollection<string> variables) => Compile(expression, new CelEnvironment(variables));

    /// <summary>Compiles as <see cref="Compile(string, IReadOnlyCollection{string})"/> does, with the fields of some variables declared too.</summary>
    public static CelProgram Compile(string expression, CelEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(environment);
        var binder = new Binder(expression, environment.Variables, environment.Fields);
        var root = Parser.Parse(expression).Bind(binder);
        return new CelProgram(root, binder.Referenced);
    }

    /// <summary>
    /// Evaluates with the variables' values (CEL values, see <see cref="CelValues.FromJson"/>); throws
    /// <see cref="CelEvaluationException"/> for a runtime error (no such key, division by zero, integer overflow,
    /// index out of range, no matching overload, the step limit) and <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public object? Evaluate(IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return _root.Eval(new Activation(variables, cancellationToken));
    }
}
