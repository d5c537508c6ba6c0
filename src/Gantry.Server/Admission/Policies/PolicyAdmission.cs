using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// Kube's ValidatingAdmissionPolicy plugin: each policy that matches a request is evaluated once per binding that
/// applies it (and matches too) and per param that binding gives it, on the request in the version the policy matched.
/// A failed validation does what the binding's <c>validationActions</c> say: <c>Deny</c> refuses the request,
/// <c>Warn</c> returns a warning, <c>Audit</c> records nothing, as Gantry keeps no audit log. A policy or binding that
/// cannot be applied (params missing under <c>Deny</c>, a <c>paramKind</c> no resource has) refuses the request under
/// <c>failurePolicy: Fail</c>. The first refusal, in policy and binding name order, is the request's error.
/// </summary>
public sealed class PolicyAdmission(AdmissionPolicies policies, PolicyParams parameters, WebhookMatching matching, WatchCache cache)
{
    private static readonly ResourceType Namespaces = ResourceCatalog.Get("", "namespaces");

    /// <summary>
    /// Whether a bound policy's rules name the operation on the resource (its other conditions are judged on the object):
    /// writes no policy can see make no copies for them.
    /// </summary>
    public bool MayMatch(ResourceType type, string operation, string? subresource)
    {
        var bound = policies.Current;
        return bound.Count > 0 && !IsExempt(type)
            && WebhookMatching.AnyMayMatch(bound.Select(b => b.Policy.Criteria).OfType<MatchCriteria>(), type, operation, subresource);
    }

    /// <exception cref="ApiException">A policy refused the request.</exception>
    public async Task ValidateAsync(AdmissionAttributes attributes, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        if (IsExempt(attributes.Type))
        {
            return;
        }

        var refusals = new List<(ValidatingPolicy Policy, PolicyBinding? Binding, PolicyDecision Decision)>();
        var objects = new VersionedObjects();
        foreach (var (policy, bindings) in policies.Current)
        {
            if (policy.Criteria is not { } criteria || matching.MatchedVersion(criteria, attributes) is not { } version)
            {
                continue;
            }

            (ResourceType Served, ResourceType Stored)? paramType = null;
            if (policy.ParamKind is { } paramKind && (paramType = parameters.TypeOf(paramKind)) is null)
            {
                if (policy.FailClosed)
                {
                    refusals.Add((policy, null, new PolicyDecision(
                        $"failed to configure policy: failed to find resource referenced by paramKind: '{GroupVersionKind(paramKind)}'")));
                }

                continue;
            }

            Dictionary<string, object?>? request = null;
            foreach (var binding in bindings)
            {
                if (binding.Criteria is { } narrowed && matching.MatchedVersion(narrowed, attributes) is null)
                {
                    continue;
                }

                IReadOnlyList<JsonObject?> found;
                try
                {
                    found = await parameters.CollectAsync(paramType, binding.ParamRef, attributes.Namespace, cancellationToken).ConfigureAwait(false);
                }
                catch (PolicyConfigurationException e)
                {
                    if (policy.FailClosed)
                    {
                        refusals.Add((policy, binding, new PolicyDecision($"failed to configure binding: {e.Message}")));
                    }

                    continue;
                }

                if (found.Count == 0)
                {
                    continue;
                }

                try
                {
                    request ??= await VariablesAsync(attributes, version, objects, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException e)
                {
                    if (policy.FailClosed)
                    {
                        refusals.Add((policy, binding, new PolicyDecision($"failed to configure binding: failed to convert object version: {e.Message}")));
                    }

                    continue;
                }

                foreach (var param in found)
                {
                    var variables = new Dictionary<string, object?>(request) { ["params"] = CelValues.FromJson(param) };
                    foreach (var decision in PolicyEvaluation.Evaluate(policy, variables, cancellationToken))
                    {
                        if (binding.Deny || decision.Always)
                        {
                            refusals.Add((policy, binding, decision));
                        }

                        if (binding.Warn && !decision.Always)
                        {
                            warnings.Add($"Validation failed for ValidatingAdmissionPolicy '{policy.Name}' with binding '{binding.Name}': {decision.Message}");
                        }
                    }
                }
            }
        }

        if (refusals.Count > 0)
        {
            throw Refusal(attributes, refusals[0].Policy, refusals[0].Binding, refusals[0].Decision);
        }
    }

    /// <summary>
    /// Whether policies never judge writes of this type: the policies and their bindings, so that no policy can lock the
    /// cluster out of removing it (kube's policy plugin; webhook configurations are judged).
    /// </summary>
    public static bool IsExempt(ResourceType type) => type == AdmissionPolicies.PolicyType || type == AdmissionPolicies.BindingType;

    /// <summary>The variables every evaluation of the request shares: its objects in the matched version, the request and its namespace.</summary>
    private async Task<Dictionary<string, object?>> VariablesAsync(
        AdmissionAttributes attributes, ResourceType version, VersionedObjects objects, CancellationToken cancellationToken)
    {
        var obj = await objects.InVersionAsync(version, attributes.Type, attributes.Object, cancellationToken).ConfigureAwait(false);
        var oldObj = await objects.InVersionAsync(version, attributes.Type, attributes.OldObject, cancellationToken).ConfigureAwait(false);
        var request = AdmissionReview.RequestOf(attributes, version, null, null, null);
        request.Remove("uid");
        request.Remove("object");
        request.Remove("oldObject");
        return new Dictionary<string, object?>
        {
            ["object"] = CelValues.FromJson(obj),
            ["oldObject"] = CelValues.FromJson(oldObj),
            ["request"] = CelValues.FromJson(request),
            ["namespaceObject"] = CelValues.FromJson(NamespaceObject(attributes)),
        };
    }

    /// <summary>
    /// The request's namespace as kube's <c>CreateNamespaceObject</c> shows it (its spec, status and the metadata a policy
    /// may judge); none for a cluster-scoped object or a Namespace's own requests.
    /// </summary>
    private JsonObject? NamespaceObject(AdmissionAttributes attributes)
    {
        if (attributes.Type == Namespaces || string.IsNullOrEmpty(attributes.Namespace)
            || cache.Get(Namespaces.Key(null, attributes.Namespace)) is not { } cached
            || JsonNode.Parse(cached.Json) is not JsonObject ns)
        {
            return null;
        }

        var metadata = new JsonObject();
        if (ns["metadata"] is JsonObject stored)
        {
            foreach (var field in NamespaceMetadataFields)
            {
                if (stored[field] is { } value)
                {
                    metadata[field] = value.DeepClone();
                }
            }
        }

        var shown = new JsonObject { ["metadata"] = metadata };
        foreach (var field in new[] { "spec", "status" })
        {
            if (ns[field] is { } value)
            {
                shown[field] = value.DeepClone();
            }
        }

        return shown;
    }

    private static readonly string[] NamespaceMetadataFields =
    [
        "name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "labels", "annotations", "finalizers",
    ];

    /// <summary>
    /// kube's refusal: a Forbidden naming the object, with the reason (and its code) the decision asks for, Invalid where
    /// it asks none, and the refusal as its one cause.
    /// </summary>
    private static ApiException Refusal(AdmissionAttributes attributes, ValidatingPolicy policy, PolicyBinding? binding, PolicyDecision decision)
    {
        var message = binding is null
            ? $"ValidatingAdmissionPolicy '{policy.Name}' denied request: {decision.Message}"
            : $"ValidatingAdmissionPolicy '{policy.Name}' with binding '{binding.Name}' denied request: {decision.Message}";
        var forbidden = ApiException.Forbidden(attributes.Type, attributes.Name, message);
        var reason = string.IsNullOrEmpty(decision.Reason) ? "Invalid" : decision.Reason;
        var details = forbidden.Details?.DeepClone().AsObject() ?? [];
        details["causes"] = new JsonArray(new JsonObject { ["message"] = message });
        return new ApiException(CodeOf(reason), reason, forbidden.Message, details);
    }

    private static int CodeOf(string reason) => reason switch
    {
        "Forbidden" => 403,
        "Unauthorized" => 401,
        "RequestEntityTooLarge" => 413,
        _ => 422,
    };

    /// <summary>A kind as Go prints a <c>schema.GroupVersionKind</c>: <c>group/version, Kind=Kind</c>.</summary>
    private static string GroupVersionKind(V1ParamKind kind)
    {
        var apiVersion = kind.ApiVersion ?? "";
        var groupVersion = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion : $"/{apiVersion}";
        return $"{groupVersion}, Kind={kind.Kind}";
    }
}
