using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// The params a binding gives its policy, as kube's <c>CollectParams</c> finds them in the stored objects of the
/// policy's <c>paramKind</c>: none needed (one evaluation without params) when the policy takes none or the binding names
/// none; the object <c>paramRef.name</c> names, or every object <c>paramRef.selector</c> selects, in the paramRef's
/// namespace or else the request's. Finding none is an error under <c>parameterNotFoundAction: Deny</c>, and means no
/// evaluation otherwise.
/// </summary>
public sealed class PolicyParams(WatchCache cache, CustomResourceTypes? customTypes = null)
{
    /// <summary>The served type of a policy's params, and the type it is stored as; null where no served resource has that kind.</summary>
    public (ResourceType Served, ResourceType Stored)? TypeOf(V1ParamKind kind)
    {
        if (ResourceCatalog.FindByKind(kind.ApiVersion ?? "", kind.Kind ?? "") is { } builtIn)
        {
            return (builtIn, ResourceCatalog.StorageOf(builtIn));
        }

        return customTypes?.Current.Entries.FirstOrDefault(e => e.Served.ApiVersion == kind.ApiVersion && e.Served.Kind == kind.Kind) is { } custom
            ? (custom.Served, custom.Stored)
            : null;
    }

    /// <summary>
    /// The objects to evaluate the policy with, in the version its <c>paramKind</c> names: a single null where it takes
    /// no params.
    /// </summary>
    /// <param name="types">The types of the policy's params (see <see cref="TypeOf"/>).</param>
    /// <exception cref="PolicyConfigurationException">The binding cannot be applied to this request (kube's words).</exception>
    public async Task<IReadOnlyList<JsonObject?>> CollectAsync(
        (ResourceType Served, ResourceType Stored)? types, V1ParamRef? reference, string? requestNamespace, CancellationToken cancellationToken)
    {
        if (types is not var (served, type) || reference is null)
        {
            return [null];
        }

        string? ns = null;
        if (type.Namespaced)
        {
            ns = string.IsNullOrEmpty(reference.NamespaceProperty) ? requestNamespace : reference.NamespaceProperty;
            if (string.IsNullOrEmpty(ns))
            {
                throw new PolicyConfigurationException("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources");
            }
        }
        else if (!string.IsNullOrEmpty(reference.NamespaceProperty))
        {
            throw new PolicyConfigurationException("paramRef.namespace must not be provided for a cluster-scoped `paramKind`");
        }

        List<JsonObject?> found;
        if (!string.IsNullOrEmpty(reference.Name))
        {
            found = cache.Get(type.Key(ns, reference.Name)) is { } stored ? [Parse(stored)] : [];
        }
        else if (reference.Selector is not null)
        {
            var selector = LabelSelector.FromModelOrNothing(reference.Selector);
            var prefix = type.NamespacePrefix(ns);
            found = [.. cache.List(type.KeyPrefix, new WatchFilter(prefix, obj => selector.Matches(obj.Labels))).Items.Select(Parse)];
        }
        else
        {
            throw new PolicyConfigurationException("one of name or selector must be provided");
        }

        if (found.Count == 0 && reference.ParameterNotFoundAction == "Deny")
        {
            throw new PolicyConfigurationException("no params found for policy binding with `Deny` parameterNotFoundAction");
        }

        try
        {
            var shown = new List<JsonObject?>(found.Count);
            foreach (var param in found)
            {
                shown.Add(await AdmissionReview.InVersionAsync(served, type, param, cancellationToken).ConfigureAwait(false));
            }

            return shown;
        }
        catch (ApiException)
        {
            // kube's params come from an informer of the paramKind's version, which cannot list what does not convert.
            throw new PolicyConfigurationException($"paramKind kind `{served.ApiVersion}, Kind={served.Kind}` not yet synced to use for admission");
        }
    }

    private static JsonObject? Parse(CachedObject stored) => JsonNode.Parse(stored.Json) as JsonObject;
}
