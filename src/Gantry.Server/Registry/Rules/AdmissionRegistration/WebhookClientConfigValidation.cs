using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// How a webhook is reached: exactly one of an https URL (kube's <c>ValidateWebhookURL</c>, https forced) or an
/// in-cluster service (<c>ValidateWebhookService</c>).
/// </summary>
internal static class WebhookClientConfigValidation
{
    private const string DesiredFormat = "; desired format: https://host[/path]";

    public static void Validate(Admissionregistrationv1WebhookClientConfig? config, FieldPath path, List<FieldError> errors)
    {
        var url = config?.Url;
        var service = config?.Service;
        if ((url is null) == (service is null))
        {
            errors.Add(FieldErrors.Required(path, "exactly one of url or service is required"));
        }
        else if (url is not null)
        {
            ValidateUrl(url, path.Child("url"), errors);
        }
        else
        {
            ValidateService(service!, path.Child("service"), errors);
        }
    }

    /// <summary>kube's <c>ValidateWebhookURL</c> with <c>forceHttps</c>: no user information, query or fragment.</summary>
    public static void ValidateUrl(string url, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!GoUrl.TryParse(url, out var parsed, out var error))
        {
            errors.Add(FieldErrors.Required(path, "url must be a valid URL: " + error + DesiredFormat));
            return;
        }

        if (parsed.Scheme != "https")
        {
            errors.Add(FieldErrors.Invalid(path, parsed.Scheme, "'https' is the only allowed URL scheme" + DesiredFormat));
        }

        if (parsed.Host.Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path, parsed.Host, "host must be provided" + DesiredFormat));
        }

        if (parsed.User is { } user)
        {
            errors.Add(FieldErrors.Invalid(path, user, "user information is not permitted in the URL"));
        }

        if (parsed.Fragment.Length > 0)
        {
            errors.Add(FieldErrors.Invalid(path, parsed.Fragment, "fragments are not permitted in the URL"));
        }

        if (parsed.RawQuery.Length > 0)
        {
            errors.Add(FieldErrors.Invalid(path, parsed.RawQuery, "query parameters are not permitted in the URL"));
        }
    }

    /// <summary>
    /// kube's <c>ValidateWebhookService</c>: a name and namespace, a valid port, and a path of DNS-1123 subdomain segments.
    /// kube 1.32 passes the service's name where the function expects the namespace and the other way round, so an empty
    /// namespace is reported at <c>service.name</c> ("service name is required") and an empty name at
    /// <c>service.namespace</c>; Gantry reports them where kube does.
    /// </summary>
    public static void ValidateService(Admissionregistrationv1ServiceReference service, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (string.IsNullOrEmpty(service.NamespaceProperty))
        {
            errors.Add(FieldErrors.Required(path.Child("name"), "service name is required"));
        }

        if (string.IsNullOrEmpty(service.Name))
        {
            errors.Add(FieldErrors.Required(path.Child("namespace"), "service namespace is required"));
        }

        // Defaulting has set the port; an undefaulted reference means kube's default all the same.
        var port = service.Port ?? WebhookValues.DefaultServicePort;
        if (FormatValidation.IsValidPortNum(port) is { Count: > 0 } portErrors)
        {
            errors.Add(FieldErrors.Invalid(path.Child("port"), port, "port is not valid: " + string.Join(", ", portErrors)));
        }

        if (service.Path is { } urlPath)
        {
            ValidateServicePath(urlPath, path.Child("path"), errors);
        }
    }

    private static void ValidateServicePath(string urlPath, FieldPath path, List<FieldError> errors)
    {
        if (urlPath is "/" or "")
        {
            return;
        }

        if (urlPath == "//")
        {
            errors.Add(FieldErrors.Invalid(path, urlPath, "segment[0] may not be empty"));
            return;
        }

        if (!urlPath.StartsWith('/'))
        {
            errors.Add(FieldErrors.Invalid(path, urlPath, "must start with a '/'"));
        }

        // kube drops the first character whatever it is, and one trailing slash.
        var toCheck = urlPath[1..];
        if (toCheck.EndsWith('/'))
        {
            toCheck = toCheck[..^1];
        }

        var steps = toCheck.Split('/');
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i].Length == 0)
            {
                errors.Add(FieldErrors.Invalid(path, urlPath, $"segment[{i}] may not be empty"));
                continue;
            }

            foreach (var failure in FormatValidation.IsDns1123Subdomain(steps[i]))
            {
                errors.Add(FieldErrors.Invalid(path, urlPath, $"segment[{i}]: {failure}"));
            }
        }
    }
}
