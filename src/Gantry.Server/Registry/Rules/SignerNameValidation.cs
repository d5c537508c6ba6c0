using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// kube's <c>ValidateSignerName</c>: a signer is named <c>domain/path</c>, the domain DNS labels with at least one dot,
/// the path DNS subdomains, short enough to be a resource name for RBAC's <c>signers</c>.
/// </summary>
public static class SignerNameValidation
{
    private const int SubdomainMaxLength = 253;
    private const int LabelMaxLength = 63;

    public static IReadOnlyList<FieldError> Validate(FieldPath path, string signerName)
    {
        if (signerName.Length == 0)
        {
            return [FieldErrors.Required(path)];
        }

        var errors = new List<FieldError>();
        var segments = signerName.Split('/', 2);
        if (segments.Length != 2 || segments[1].Contains('/', StringComparison.Ordinal))
        {
            return [FieldErrors.Invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
        }

        var (domain, signer) = (segments[0], segments[1]);
        if (domain.Length > SubdomainMaxLength)
        {
            errors.Add(FieldErrors.TooLong(path, SubdomainMaxLength));
        }

        var labels = domain.Split('.');
        foreach (var label in labels)
        {
            var problems = FormatValidation.IsDns1123Label(label);
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => FieldErrors.Invalid(path, domain, $"validating label \"{label}\": {p}")));
                break;
            }
        }

        if (labels.Length < 2)
        {
            errors.Add(FieldErrors.Invalid(path, domain, "should be a domain with at least two segments separated by dots"));
        }

        errors.AddRange(FormatValidation.IsDns1123Subdomain(signer).Select(p => FieldErrors.Invalid(path, signer, $"validating label \"{signer}\": {p}")));
        if (signer.Length > SubdomainMaxLength - LabelMaxLength - 1)
        {
            errors.Add(FieldErrors.TooLong(path, SubdomainMaxLength - LabelMaxLength - 1));
        }

        return errors;
    }
}
