using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// apimachinery's <c>IsFullyQualifiedName</c>, which names webhooks: a DNS-1123 subdomain of at least three dot-separated
/// segments (<c>pod-policy.example.com</c>), so that webhooks of different authors do not collide.
/// </summary>
internal static class WebhookNameValidation
{
    private const int MinSegments = 3;

    public static void Validate(string name, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        if (FormatValidation.IsDns1123Subdomain(name) is { Count: > 0 } subdomainErrors)
        {
            errors.Add(FieldErrors.Invalid(path, name, string.Join(",", subdomainErrors)));
            return;
        }

        if (name.Split('.').Length < MinSegments)
        {
            errors.Add(FieldErrors.Invalid(path, name, "should be a domain with at least three segments separated by dots"));
        }
    }
}
