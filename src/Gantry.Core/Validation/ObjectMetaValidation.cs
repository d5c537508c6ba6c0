using Gantry.Core.Resources;
using k8s.Models;

namespace Gantry.Core.Validation;

/// <summary>
/// Validation of <c>metadata</c> as apimachinery's <c>ValidateObjectMeta</c> does it: the name rule of each
/// type, label and annotation keys and values, finalizer names.
/// </summary>
public static class ObjectMetaValidation
{
    private const int TotalAnnotationSizeLimit = 256 * 1024;

    private static readonly FieldPath Metadata = FieldPath.Of("metadata");

    /// <summary>
    /// The name rule of <paramref name="type"/>: DNS-1123 label for namespaces and stateful sets (a stateful set's name
    /// becomes its pods' hostnames), DNS-1035 label for services, a path segment for RBAC's roles and bindings, DNS-1123
    /// subdomain for everything else. <c>prefix</c> is true for a <c>generateName</c>, whose trailing dash is allowed
    /// because a random suffix follows it.
    /// </summary>
    public static IReadOnlyList<string> CheckName(ResourceType type, string name, bool prefix)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(name);
        var masked = prefix ? MaskTrailingDash(name) : name;
        return (type.Group, type.Kind) switch
        {
            ("", "Namespace") or ("apps", "StatefulSet") => FormatValidation.IsDns1123Label(masked),
            ("", "Service") => FormatValidation.IsDns1035Label(masked),
            // kube's minimalNameRequirements: the whole name, the prefix rule ignored.
            ("rbac.authorization.k8s.io", _) => FormatValidation.IsValidPathSegmentName(name),
            _ => FormatValidation.IsDns1123Subdomain(masked),
        };
    }

    /// <summary>
    /// Errors on <c>metadata.name</c> and <c>metadata.generateName</c>. An empty name is accepted when a
    /// <c>generateName</c> is given, because the caller generates the name from it.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateName(ResourceType type, string? name, string? generateName)
    {
        var errors = new List<FieldError>();
        if (!string.IsNullOrEmpty(generateName))
        {
            errors.AddRange(CheckName(type, generateName, prefix: true)
                .Select(m => FieldErrors.Invalid(Metadata.Child("generateName"), generateName, m)));
        }

        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(generateName))
            {
                errors.Add(FieldErrors.Required(Metadata.Child("name"), "name or generateName is required"));
            }
        }
        else
        {
            errors.AddRange(CheckName(type, name, prefix: false).Select(m => FieldErrors.Invalid(Metadata.Child("name"), name, m)));
        }

        return errors;
    }

    /// <summary>Label keys must be qualified names and values valid label values; every error is reported on <paramref name="path"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateLabels(IEnumerable<KeyValuePair<string, string>>? labels, FieldPath path)
    {
        var errors = new List<FieldError>();
        foreach (var (key, value) in labels ?? [])
        {
            errors.AddRange(ValidateLabelName(key, path));
            errors.AddRange(FormatValidation.IsValidLabelValue(value ?? "").Select(m => FieldErrors.Invalid(path, value, m)));
        }

        return errors;
    }

    /// <summary>One label key, as a qualified name.</summary>
    public static IReadOnlyList<FieldError> ValidateLabelName(string key, FieldPath path) =>
        FormatValidation.IsQualifiedName(key).Select(m => FieldErrors.Invalid(path, key, m)).ToList();

    /// <summary>Annotation keys are qualified names compared case-insensitively; all of them together may not exceed 256 KiB.</summary>
    public static IReadOnlyList<FieldError> ValidateAnnotations(IEnumerable<KeyValuePair<string, string>>? annotations, FieldPath path)
    {
        var errors = new List<FieldError>();
        long totalSize = 0;
        foreach (var (key, value) in annotations ?? [])
        {
            errors.AddRange(FormatValidation.IsQualifiedName(key.ToLowerInvariant()).Select(m => FieldErrors.Invalid(path, key, m)));
            totalSize += System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (totalSize > TotalAnnotationSizeLimit)
        {
            errors.Add(FieldErrors.TooLong(path, TotalAnnotationSizeLimit));
        }

        return errors;
    }

    /// <summary>
    /// apimachinery's <c>ValidateObjectMeta</c>: name or generateName, the namespace the type's scope calls
    /// for, generation, labels, annotations, owner references and finalizer names.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(ResourceType type, V1ObjectMeta? metadata)
    {
        ArgumentNullException.ThrowIfNull(type);
        var errors = new List<FieldError>(ValidateName(type, metadata?.Name, metadata?.GenerateName));
        var ns = metadata?.NamespaceProperty ?? "";
        if (type.Namespaced)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldErrors.Required(Metadata.Child("namespace")));
            }
            else
            {
                errors.AddRange(FormatValidation.IsDns1123Label(ns).Select(m => FieldErrors.Invalid(Metadata.Child("namespace"), ns, m)));
            }
        }
        else if (ns.Length > 0)
        {
            errors.Add(FieldErrors.Forbidden(Metadata.Child("namespace"), "not allowed on this type"));
        }

        if (metadata is null)
        {
            return errors;
        }

        if (metadata.Generation is < 0)
        {
            errors.Add(FieldErrors.Invalid(Metadata.Child("generation"), metadata.Generation.Value, FormatValidation.IsNegative));
        }

        errors.AddRange(ValidateLabels(metadata.Labels, Metadata.Child("labels")));
        errors.AddRange(ValidateAnnotations(metadata.Annotations, Metadata.Child("annotations")));
        errors.AddRange(ValidateOwnerReferences(metadata.OwnerReferences ?? [], Metadata.Child("ownerReferences")));
        foreach (var finalizer in metadata.Finalizers ?? [])
        {
            errors.AddRange(FormatValidation.IsQualifiedName(finalizer)
                .Select(m => FieldErrors.Invalid(Metadata.Child("finalizers"), finalizer, m)));
        }

        return errors;
    }

    /// <summary>
    /// The part of apimachinery's <c>ValidateObjectMetaUpdate</c> that judges what a client sent: identity
    /// fields cannot change, generation cannot go back, and an object being deleted takes no new finalizers.
    /// The deletion fields are left out because the registry itself sets them.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1ObjectMeta? metadata, V1ObjectMeta? old)
    {
        var errors = new List<FieldError>();
        metadata ??= new V1ObjectMeta();
        old ??= new V1ObjectMeta();
        if (old.DeletionTimestamp is not null)
        {
            var added = (metadata.Finalizers ?? []).Except(old.Finalizers ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldErrors.Forbidden(Metadata.Child("finalizers"),
                    $"no new finalizers can be added if the object is being deleted, found new finalizers {GoValue.Strings(added)}"));
            }
        }

        if ((metadata.Generation ?? 0) < (old.Generation ?? 0))
        {
            errors.Add(FieldErrors.Invalid(Metadata.Child("generation"), metadata.Generation ?? 0, "must not be decremented"));
        }

        RequireUnchanged(metadata.Name, old.Name, "name", errors);
        RequireUnchanged(metadata.NamespaceProperty, old.NamespaceProperty, "namespace", errors);
        RequireUnchanged(metadata.Uid, old.Uid, "uid", errors);
        if (metadata.CreationTimestamp != old.CreationTimestamp)
        {
            errors.Add(FieldErrors.Immutable(Metadata.Child("creationTimestamp"), metadata.CreationTimestamp is { } created ? new GoValue(GoTime(created)) : null));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateOwnerReferences(IList<V1OwnerReference> references, FieldPath path)
    {
        string? controller = null;
        foreach (var reference in references)
        {
            var apiVersion = reference.ApiVersion ?? "";
            var version = apiVersion[(apiVersion.LastIndexOf('/') + 1)..];
            if (version.Length == 0)
            {
                yield return FieldErrors.Invalid(path.Child("apiVersion"), apiVersion, "version must not be empty");
            }

            if (string.IsNullOrEmpty(reference.Kind))
            {
                yield return FieldErrors.Invalid(path.Child("kind"), reference.Kind ?? "", "kind must not be empty");
            }

            if (string.IsNullOrEmpty(reference.Name))
            {
                yield return FieldErrors.Invalid(path.Child("name"), reference.Name ?? "", "name must not be empty");
            }

            if (string.IsNullOrEmpty(reference.Uid))
            {
                yield return FieldErrors.Invalid(path.Child("uid"), reference.Uid ?? "", "uid must not be empty");
            }

            if (apiVersion == "v1" && reference.Kind == "Event")
            {
                yield return FieldErrors.Invalid(path, GoValue.Struct("v1.OwnerReference"), "/v1, Kind=Event is disallowed from being an owner");
            }

            if (reference.Controller == true)
            {
                var current = $"{reference.Kind}/{reference.Name}";
                if (controller is not null)
                {
                    yield return FieldErrors.Invalid(path, GoValue.Struct("[]v1.OwnerReference"),
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {controller} and {current}");
                }
                else
                {
                    controller = current;
                }
            }
        }
    }

    private static void RequireUnchanged(string? value, string? old, string field, List<FieldError> errors)
    {
        if ((value ?? "") != (old ?? ""))
        {
            errors.Add(FieldErrors.Immutable(Metadata.Child(field), value ?? ""));
        }
    }

    // Go's time.Time String(): "2006-01-02 15:04:05 +0000 UTC".
    private static string GoTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " +0000 UTC";

    // apimachinery replaces the last two characters of a dashed prefix with "a" before checking it.
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;
}
