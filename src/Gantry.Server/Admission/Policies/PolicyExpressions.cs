using Gantry.Core.Cel;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// The CEL environment of a ValidatingAdmissionPolicy's expressions, as kube's policy compiler declares it:
/// <c>object</c>, <c>oldObject</c>, <c>request</c>, <c>namespaceObject</c>, <c>authorizer</c> and the policy's
/// <c>variables</c>, and <c>params</c> only where the policy names a <c>paramKind</c>. A message expression is not
/// offered the authorizer.
/// </summary>
public static class PolicyExpressions
{
    public const string Authorizer = "authorizer";

    private static readonly string[] Common = ["object", "oldObject", "request", "namespaceObject", "variables"];

    private static readonly string[] WithoutParams = [.. Common, Authorizer];

    private static readonly string[] WithParams = [.. WithoutParams, "params"];

    private static readonly string[] MessageWithoutParams = Common;

    private static readonly string[] MessageWithParams = [.. Common, "params"];

    /// <summary>The variables an expression (a validation, a variable, a match condition, an audit annotation's value) may name.</summary>
    public static IReadOnlyCollection<string> Variables(bool hasParams) => hasParams ? WithParams : WithoutParams;

    /// <summary>The variables a validation's <c>messageExpression</c> may name.</summary>
    public static IReadOnlyCollection<string> MessageVariables(bool hasParams) => hasParams ? MessageWithParams : MessageWithoutParams;

    /// <summary>Compiles an expression; an expression that names the authorizer is refused, as Gantry's engine does not offer it.</summary>
    /// <exception cref="CelCompileException">Not valid CEL in this environment.</exception>
    /// <exception cref="CelUnsupportedException">Valid CEL that Gantry's engine cannot evaluate.</exception>
    public static CelProgram Compile(string expression, IReadOnlyCollection<string> variables)
    {
        var program = CelProgram.Compile(expression, variables);
        return program.ReferencedVariables.Contains(Authorizer)
            ? throw new CelUnsupportedException("Gantry's CEL engine does not offer the authorizer variable")
            : program;
    }
}
