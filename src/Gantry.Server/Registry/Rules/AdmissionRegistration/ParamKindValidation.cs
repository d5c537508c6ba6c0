using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateParamKind</c>: the kind of a policy's parameters names a group version as an APIService does (a
/// DNS subdomain group, a DNS-1035 label version) and a kind that lowercases to a DNS-1035 label.
/// </summary>
internal static class ParamKindValidation
{
    public static void Validate(V1ParamKind paramKind, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(paramKind);
        ApiVersion(paramKind.ApiVersion ?? "", path.Child("apiVersion"), errors);
        var kind = paramKind.Kind ?? "";
        if (kind.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("kind")));
        }
        else if (FormatValidation.IsDns1035Label(kind.ToLowerInvariant()) is { Count: > 0 } kindErrors)
        {
            errors.Add(FieldErrors.Invalid(path.Child("kind"), kind, "may have mixed case, but should otherwise match: " + string.Join(",", kindErrors)));
        }
    }

    private static void ApiVersion(string apiVersion, FieldPath path, List<FieldError> errors)
    {
        if (apiVersion.Length == 0)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        // kube's parseGroupVersion: "/" alone is the empty group version; more than one slash is no group version.
        var slashes = apiVersion.Count(c => c == '/');
        if (slashes > 1)
        {
            errors.Add(FieldErrors.Invalid(path, apiVersion, "unexpected GroupVersion string: " + apiVersion));
            return;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        if (group.Length > 0 && FormatValidation.IsDns1123Subdomain(group) is { Count: > 0 } groupErrors)
        {
            errors.Add(FieldErrors.Invalid(path, group, string.Join(",", groupErrors)));
        }

        if (version.Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path, apiVersion, "version must be specified"));
        }
        else if (FormatValidation.IsDns1035Label(version) is { Count: > 0 } versionErrors)
        {
            errors.Add(FieldErrors.Invalid(path, version, string.Join(",", versionErrors)));
        }
    }
}
