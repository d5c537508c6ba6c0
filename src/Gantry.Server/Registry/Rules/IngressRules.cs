using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Ingresses (networking.k8s.io/v1), as kube's <c>ValidateIngressCreate</c>, <c>ValidateIngressUpdate</c> and
/// <c>ValidateIngressStatusUpdate</c> check them: a default backend or rules; hosts that are DNS names (a leading
/// <c>*.</c> allowed), never IPs; each HTTP path typed, absolute and free of traversal; each backend one service (a
/// DNS-1035 name and one port, by name or number) or one typed resource; TLS hosts and secret names that are DNS
/// subdomains; a class annotation that agrees with <c>spec.ingressClassName</c>. A status write checks only the load
/// balancer's addresses.
/// </summary>
public sealed class IngressRules() : ResourceRules<V1Ingress>(ResourceCatalog.Get("networking.k8s.io", "ingresses"))
{
    /// <summary>The class annotation older controllers read, which <c>spec.ingressClassName</c> replaced.</summary>
    public const string ClassAnnotation = "kubernetes.io/ingress.class";

    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidPathSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidPathSuffixes = ["/..", "/."];

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath LoadBalancer = FieldPath.Of("status", "loadBalancer");

    protected override void Validate(V1Ingress obj, List<FieldError> errors)
    {
        ValidateSpec(obj.Spec ?? new V1IngressSpec(), errors);
        if (obj.Metadata?.Annotations?.TryGetValue(ClassAnnotation, out var annotated) == true
            && obj.Spec?.IngressClassName is { } className && annotated != className)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("annotations", ClassAnnotation), annotated, "must match `ingressClassName` when both are specified"));
        }
    }

    protected override void ValidateUpdate(V1Ingress obj, V1Ingress old, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V1IngressSpec(), errors);

    protected override void ValidateStatusUpdate(V1Ingress obj, V1Ingress old, List<FieldError> errors)
    {
        var ingress = obj.Status?.LoadBalancer?.Ingress ?? [];
        for (var i = 0; i < ingress.Count; i++)
        {
            var path = LoadBalancer.Child("ingress").Index(i);
            if (ingress[i].Ip is { Length: > 0 } ip)
            {
                errors.AddRange(FormatValidation.IsValidIP(ip).Select(m => FieldErrors.Invalid(path.Child("ip"), ip, m)));
            }

            if (ingress[i].Hostname is { Length: > 0 } hostname)
            {
                errors.AddRange(FormatValidation.IsDns1123Subdomain(hostname).Select(m => FieldErrors.Invalid(path.Child("hostname"), hostname, m)));
                if (FormatValidation.IsSloppyIp(hostname))
                {
                    errors.Add(FieldErrors.Invalid(path.Child("hostname"), hostname, "must be a DNS name, not an IP address"));
                }
            }
        }
    }

    /// <summary>kube's <c>ValidateIngressSpec</c>.</summary>
    private static void ValidateSpec(V1IngressSpec spec, List<FieldError> errors)
    {
        var rules = spec.Rules ?? [];
        if (rules.Count == 0 && spec.DefaultBackend is null)
        {
            var value = new GoValue(spec.Rules is null ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}");
            errors.Add(FieldErrors.Invalid(Spec, value, "either `defaultBackend` or `rules` must be specified"));
        }

        if (spec.DefaultBackend is { } defaultBackend)
        {
            ValidateBackend(defaultBackend, Spec.Child("defaultBackend"), errors);
        }

        for (var i = 0; i < rules.Count; i++)
        {
            ValidateRule(rules[i], Spec.Child("rules").Index(i), errors);
        }

        var tls = spec.Tls ?? [];
        for (var i = 0; i < tls.Count; i++)
        {
            ValidateTls(tls[i], Spec.Child("tls").Index(i), errors);
        }

        if (spec.IngressClassName is { } className)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(className).Select(m => FieldErrors.Invalid(Spec.Child("ingressClassName"), className, m)));
        }
    }

    private static void ValidateRule(V1IngressRule rule, FieldPath path, List<FieldError> errors)
    {
        if (rule.Host is { Length: > 0 } host)
        {
            ValidateHost(host, path.Child("host"), errors);
        }

        if (rule.Http is not { } http)
        {
            return;
        }

        var paths = http.Paths ?? [];
        if (paths.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("http").Child("paths")));
        }

        for (var i = 0; i < paths.Count; i++)
        {
            ValidatePath(paths[i], path.Child("http").Child("paths").Index(i), errors);
        }
    }

    private static void ValidateHost(string host, FieldPath path, List<FieldError> errors)
    {
        if (FormatValidation.IsSloppyIp(host))
        {
            errors.Add(FieldErrors.Invalid(path, host, "must be a DNS name, not an IP address"));
        }

        errors.AddRange(HostProblems(host).Select(m => FieldErrors.Invalid(path, host, m)));
    }

    /// <summary>A rule's or a TLS entry's host: a DNS subdomain, or one behind <c>*.</c> when it has a star.</summary>
    private static IReadOnlyList<string> HostProblems(string host) =>
        host.Contains('*', StringComparison.Ordinal) ? FormatValidation.IsWildcardDns1123Subdomain(host) : FormatValidation.IsDns1123Subdomain(host);

    /// <summary>kube's <c>validateHTTPIngressPath</c>.</summary>
    private static void ValidatePath(V1HTTPIngressPath httpPath, FieldPath path, List<FieldError> errors)
    {
        if (httpPath.PathType is not { } pathType)
        {
            errors.Add(FieldErrors.Required(path.Child("pathType"), "pathType must be specified"));
            return;
        }

        var value = httpPath.Path ?? "";
        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!value.StartsWith('/'))
                {
                    errors.Add(FieldErrors.Invalid(path.Child("path"), value, "must be an absolute path"));
                }

                errors.AddRange(InvalidPathSequences.Where(s => value.Contains(s, StringComparison.Ordinal))
                    .Select(s => FieldErrors.Invalid(path.Child("path"), value, $"must not contain '{s}'")));
                errors.AddRange(InvalidPathSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal))
                    .Select(s => FieldErrors.Invalid(path.Child("path"), value, $"cannot end with '{s}'")));
                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/'))
                {
                    errors.Add(FieldErrors.Invalid(path.Child("path"), value, "must be an absolute path"));
                }

                break;
            default:
                errors.Add(FieldErrors.NotSupported(path.Child("pathType"), pathType, PathTypes));
                break;
        }

        ValidateBackend(httpPath.Backend ?? new V1IngressBackend(), path.Child("backend"), errors);
    }

    /// <summary>kube's <c>validateIngressBackend</c>: one service with one port, or one typed resource.</summary>
    private static void ValidateBackend(V1IngressBackend backend, FieldPath path, List<FieldError> errors)
    {
        switch (backend)
        {
            case { Resource: not null, Service: not null }:
                errors.Add(FieldErrors.Invalid(path, "", "cannot set both resource and service backends"));
                break;
            case { Resource: { } resource }:
                ValidateResource(resource, path.Child("resource"), errors);
                break;
            case { Service: { } service }:
                ValidateService(service, path, errors);
                break;
            default:
                errors.Add(FieldErrors.Invalid(path, "", "resource or service backend is required"));
                break;
        }
    }

    private static void ValidateService(V1IngressServiceBackend service, FieldPath path, List<FieldError> errors)
    {
        var name = service.Name ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("service").Child("name")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1035Label(name).Select(m => FieldErrors.Invalid(path.Child("service").Child("name"), name, m)));
        }

        var portName = service.Port?.Name ?? "";
        var portNumber = service.Port?.Number ?? 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            errors.Add(FieldErrors.Invalid(path, "", "cannot set both port name & port number"));
        }
        else if (portName.Length > 0)
        {
            errors.AddRange(FormatValidation.IsValidPortName(portName).Select(m => FieldErrors.Invalid(path.Child("service").Child("port").Child("name"), portName, m)));
        }
        else if (portNumber != 0)
        {
            errors.AddRange(FormatValidation.IsValidPortNum(portNumber).Select(m => FieldErrors.Invalid(path.Child("service").Child("port").Child("number"), portNumber, m)));
        }
        else
        {
            errors.Add(FieldErrors.Required(path, "port name or number is required"));
        }
    }

    /// <summary>kube's <c>validateIngressTypedLocalObjectReference</c>.</summary>
    private static void ValidateResource(V1TypedLocalObjectReference resource, FieldPath path, List<FieldError> errors)
    {
        if (resource.ApiGroup is { } apiGroup)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(apiGroup).Select(m => FieldErrors.Invalid(path.Child("apiGroup"), apiGroup, m)));
        }

        foreach (var (field, value) in new[] { ("kind", resource.Kind), ("name", resource.Name) })
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(FieldErrors.Required(path.Child(field)));
            }
            else
            {
                errors.AddRange(FormatValidation.IsValidPathSegmentName(value).Select(m => FieldErrors.Invalid(path.Child(field), value, m)));
            }
        }
    }

    /// <summary>kube's <c>validateIngressTLS</c>.</summary>
    private static void ValidateTls(V1IngressTLS tls, FieldPath path, List<FieldError> errors)
    {
        var hosts = tls.Hosts ?? [];
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i] ?? "";
            errors.AddRange(HostProblems(host).Select(m => FieldErrors.Invalid(path.Child("hosts").Index(i), host, m)));
        }

        if (tls.SecretName is { Length: > 0 } secretName)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(secretName).Select(m => FieldErrors.Invalid(path.Child("secretName"), secretName, m)));
        }
    }
}
