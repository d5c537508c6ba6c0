using Gantry.Core.Cel;
using Gantry.Core.Validation;
using Gantry.Server.Admission.Policies;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// Whether an admission expression (a match condition, a policy's validation, variable, message or audit annotation)
/// compiles with the variables its kind offers, as kube's compile checks decide it. An expression valid in CEL that
/// Gantry's engine cannot evaluate (it names the <c>authorizer</c>, a function the engine lacks) is refused too, so that
/// nothing is stored that would then fail every request it is asked about.
/// </summary>
internal static class CelExpressionValidation
{
    /// <param name="expression">What is compiled: kube compiles some expressions trimmed, others as written.</param>
    /// <param name="shown">The value an Invalid error shows, which kube takes as written even where it compiles it trimmed.</param>
    public static void Validate(string expression, string shown, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            var program = CelProgram.Compile(expression, environment);
            if (program.ReferencedVariables.Contains(PolicyExpressions.Authorizer))
            {
                errors.Add(FieldErrors.Forbidden(path, "Gantry's CEL engine does not offer the authorizer variable"));
            }
        }
        catch (CelUnsupportedException e)
        {
            errors.Add(FieldErrors.Forbidden(path, $"Gantry's CEL engine cannot evaluate this expression: {e.Message}"));
        }
        catch (CelCompileException e)
        {
            errors.Add(FieldErrors.Invalid(path, shown, $"compilation failed: {e.Message}"));
        }
    }
}
