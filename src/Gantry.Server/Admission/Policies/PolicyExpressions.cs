using Gantry.Core.Cel;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// The CEL environments of a ValidatingAdmissionPolicy's expressions, as kube's policy compilers declare them:
/// <c>object</c>, <c>oldObject</c>, <c>request</c>, <c>namespaceObject</c> and <c>authorizer</c>, <c>params</c> only
/// where the policy names a <c>paramKind</c>, and <c>variables</c> only where it declares some, with the fields it
/// declared before the expression (a variable sees those before it). A message expression is not offered the
/// authorizer; a match condition is offered no variables.
/// </summary>
public static class PolicyExpressions
{
    public const string Authorizer = "authorizer";

    private const string Variables = "variables";

    private static readonly string[] Common = ["object", "oldObject", "request", "namespaceObject"];

    /// <summary>The environment of a validation, a variable or an audit annotation's value.</summary>
    /// <param name="variableNames">The variables declared before the expression; null where the policy declares none.</param>
    public static CelEnvironment Environment(bool hasParams, IReadOnlyCollection<string>? variableNames) =>
        Of([.. Common, Authorizer], hasParams, variableNames);

    /// <summary>The environment of a validation's <c>messageExpression</c>.</summary>
    public static CelEnvironment MessageEnvironment(bool hasParams, IReadOnlyCollection<string>? variableNames) =>
        Of(Common, hasParams, variableNames);

    /// <summary>The environment of a match condition (kube compiles them without the policy's variables).</summary>
    public static CelEnvironment MatchConditionEnvironment(bool hasParams) => Of([.. Common, Authorizer], hasParams, null);

    /// <summary>Compiles an expression; an expression that names the authorizer is refused, as Gantry's engine does not offer it.</summary>
    /// <exception cref="CelCompileException">Not valid CEL in this environment.</exception>
    /// <exception cref="CelUnsupportedException">Valid CEL that Gantry's engine cannot evaluate.</exception>
    public static CelProgram Compile(string expression, CelEnvironment environment)
    {
        var program = CelProgram.Compile(expression, environment);
        return program.ReferencedVariables.Contains(Authorizer)
            ? throw new CelUnsupportedException("Gantry's CEL engine does not offer the authorizer variable")
            : program;
    }

    private static CelEnvironment Of(IEnumerable<string> names, bool hasParams, IReadOnlyCollection<string>? variableNames)
    {
        var declared = names.ToList();
        if (hasParams)
        {
            declared.Add("params");
        }

        if (variableNames is null)
        {
            return new CelEnvironment(declared);
        }

        declared.Add(Variables);
        return new CelEnvironment(declared, new Dictionary<string, IReadOnlyCollection<string>> { [Variables] = variableNames });
    }
}
