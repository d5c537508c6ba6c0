using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateResources</c>: the resources of a webhook rule, each <c>resource</c> or <c>resource/subresource</c>,
/// where <c>*</c> stands for every resource, <c>*/*</c> for every resource and subresource, <c>x/*</c> for every
/// subresource of x and <c>*/y</c> for subresource y of every resource; an entry that a wildcard before it covers is refused.
/// </summary>
internal static class WebhookResourceValidation
{
    public static void Validate(List<string> resources, FieldPath path, List<FieldError> errors)
    {
        if (resources.Count == 0)
        {
            errors.Add(FieldErrors.Required(path));
        }

        var resourcesWithWildcardSubresources = new HashSet<string>(StringComparer.Ordinal);
        var subresourcesWithWildcardResource = new HashSet<string>(StringComparer.Ordinal);
        var hasDoubleWildcard = false;
        var hasSingleWildcard = false;
        var hasResourceWithoutSubresource = false;
        for (var i = 0; i < resources.Count; i++)
        {
            var entry = resources[i];
            if (entry.Length == 0)
            {
                errors.Add(FieldErrors.Required(path.Index(i)));
                continue;
            }

            hasDoubleWildcard |= entry == "*/*";
            hasSingleWildcard |= entry == "*";
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                // kube keeps only the last such entry's verdict: a later "*" clears what an earlier plain name set.
                hasResourceWithoutSubresource = entry != "*";
                continue;
            }

            var resource = entry[..slash];
            var subresource = entry[(slash + 1)..];
            if (resourcesWithWildcardSubresources.Contains(resource))
            {
                errors.Add(FieldErrors.Invalid(path.Index(i), entry, $"if '{resource}/*' is present, must not specify {entry}"));
            }

            if (subresourcesWithWildcardResource.Contains(subresource))
            {
                errors.Add(FieldErrors.Invalid(path.Index(i), entry, $"if '*/{subresource}' is present, must not specify {entry}"));
            }

            if (subresource == "*")
            {
                resourcesWithWildcardSubresources.Add(resource);
            }

            if (resource == "*")
            {
                subresourcesWithWildcardResource.Add(subresource);
            }
        }

        if (resources.Count > 1 && hasDoubleWildcard)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Strings(resources), "if '*/*' is present, must not specify other resources"));
        }

        if (hasSingleWildcard && hasResourceWithoutSubresource)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Strings(resources), "if '*' is present, must not specify other resources without subresources"));
        }
    }
}
