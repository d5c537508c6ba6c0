using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateParamRef</c>: a binding's parameters are one named object or those a selector picks, never both,
/// and the binding says what to do when none is found.
/// </summary>
internal static class ParamRefValidation
{
    private const string MutuallyExclusive = "name and selector are mutually exclusive";

    public static void Validate(V1ParamRef? paramRef, FieldPath path, List<FieldError> errors)
    {
        if (paramRef is null)
        {
            return;
        }

        var name = paramRef.Name ?? "";
        if (name.Length > 0)
        {
            errors.AddRange(FormatValidation.IsValidPathSegmentName(name).Select(m => FieldErrors.Invalid(path.Child("name"), name, m)));
            if (paramRef.Selector is not null)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("name"), MutuallyExclusive));
            }
        }

        if (paramRef.Selector is { } selector)
        {
            errors.AddRange(LabelSelectorValidation.Validate(selector, path.Child("selector")));
            if (name.Length > 0)
            {
                errors.Add(FieldErrors.Forbidden(path.Child("selector"), MutuallyExclusive));
            }
        }

        if (name.Length == 0 && paramRef.Selector is null)
        {
            errors.Add(FieldErrors.Required(path, "one of name or selector must be specified"));
        }

        var action = paramRef.ParameterNotFoundAction ?? "";
        if (action.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("parameterNotFoundAction")));
        }
        else if (!PolicyValues.ParameterNotFoundActions.Contains(action))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("parameterNotFoundAction"), action, PolicyValues.ParameterNotFoundActions));
        }
    }
}
