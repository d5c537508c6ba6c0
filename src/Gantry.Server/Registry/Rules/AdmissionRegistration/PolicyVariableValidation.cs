using Gantry.Core.Cel;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateVariable</c>: a policy's variable is a CEL identifier (later expressions name it as
/// <c>variables.name</c>) bound to an expression that compiles.
/// </summary>
internal static class PolicyVariableValidation
{
    /// <summary>CEL's reserved words (<c>RESERVED</c> in its grammar), which no identifier may be.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    };

    public static void Validate(V1Variable variable, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var name = variable.Name ?? "";
        if (name.Trim().Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("name"), "name is not specified"));
        }
        else if (!IsCelIdentifier(name))
        {
            errors.Add(FieldErrors.Invalid(path.Child("name"), name, "name is not a valid CEL identifier"));
        }

        var expression = variable.Expression ?? "";
        if (expression.Trim().Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("expression"), "expression is not specified"));
        }
        else
        {
            CelExpressionValidation.Validate(expression, expression, environment, path.Child("expression"), errors);
        }
    }

    /// <summary>CEL's <c>IDENT</c>: <c>[_a-zA-Z][_a-zA-Z0-9]*</c>, not a reserved word.</summary>
    private static bool IsCelIdentifier(string name) =>
        (name[0] == '_' || char.IsAsciiLetter(name[0])) && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c)) && !Reserved.Contains(name);
}
