using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// Whether a write is sent to a webhook (or judged by a ValidatingAdmissionPolicy), as kube's dispatchers decide it: a
/// rule matches the operation, group, version, resource and subresource and scope (with <c>matchPolicy: Equivalent</c>, another served version of the
/// resource also matches, and the webhook is sent the request in that version), the namespace's labels match the
/// namespace selector (an object of another cluster-scoped kind always does), and the object's labels, new or old, match
/// the object selector.
/// </summary>
public sealed class WebhookMatching(WatchCache cache, CustomResourceTypes? customTypes = null)
{
    private static readonly ResourceType Namespaces = ResourceCatalog.Get("", "namespaces");

    public bool Matches(Webhook hook, AdmissionAttributes attributes) => MatchedVersion(hook, attributes) is not null;

    /// <summary>
    /// The served version of the resource the webhook is sent the request in: the request's own when a rule names it;
    /// with <c>matchPolicy: Equivalent</c>, else the first other version a rule names, the stored one first (kube's
    /// <c>ShouldCallHook</c> with its equivalent resources). Null when the webhook is not called.
    /// </summary>
    public ResourceType? MatchedVersion(Webhook hook, AdmissionAttributes attributes) => MatchedVersion(hook.Criteria, attributes);

    /// <summary>
    /// The served version of the resource that <paramref name="criteria"/> match the request in (see the webhook's
    /// overload); a request an excluding rule matches, in any version, matches none (kube's policy matcher).
    /// </summary>
    public ResourceType? MatchedVersion(MatchCriteria criteria, AdmissionAttributes attributes)
    {
        if (criteria.Excluded.Count > 0 && MatchedRuleVersion(criteria.Excluded, criteria.MatchEquivalent, attributes) is not null)
        {
            return null;
        }

        var matched = criteria.Rules is { } rules ? MatchedRuleVersion(rules, criteria.MatchEquivalent, attributes) : RequestVersion(attributes);
        return matched is not null && MatchesNamespace(criteria, attributes) && MatchesObject(criteria, attributes) ? matched : null;
    }

    private ResourceType? MatchedRuleVersion(IReadOnlyList<MatchRule> rules, bool matchEquivalent, AdmissionAttributes attributes)
    {
        var (group, version) = RequestGroupVersion(attributes);
        if (rules.Any(rule => Matches(rule, attributes, group, version)))
        {
            return RequestVersion(attributes);
        }

        if (!matchEquivalent)
        {
            return null;
        }

        // Earlier rules first, then the versions in order, as kube's ShouldCallHook honours them.
        foreach (var rule in rules)
        {
            if (Versions(attributes.Type).FirstOrDefault(v => (v.Group, v.Version) != (group, version) && Matches(rule, attributes, v.Group, v.Version)) is { } matched)
            {
                return matched;
            }
        }

        return null;
    }

    /// <summary>The served version the request was sent to.</summary>
    private ResourceType RequestVersion(AdmissionAttributes attributes)
    {
        var (group, version) = RequestGroupVersion(attributes);
        return Versions(attributes.Type).FirstOrDefault(v => v.Group == group && v.Version == version) ?? attributes.Type;
    }

    /// <summary>Every served version of the stored type's resource, the stored one first.</summary>
    private IEnumerable<ResourceType> Versions(ResourceType stored)
    {
        yield return stored;
        if (stored.Custom is not null)
        {
            foreach (var entry in customTypes?.Current.Entries ?? [])
            {
                if (entry.Stored.Group == stored.Group && entry.Stored.Plural == stored.Plural && entry.Served.Version != stored.Version)
                {
                    yield return entry.Served;
                }
            }

            yield break;
        }

        foreach (var served in ResourceCatalog.ConvertedTypes)
        {
            if (ResourceCatalog.StorageOf(served) == stored)
            {
                yield return served;
            }
        }
    }

    /// <summary>The group and version the request was sent to.</summary>
    public static (string Group, string Version) RequestGroupVersion(AdmissionAttributes attributes)
    {
        if (attributes.RequestApiVersion is not { } apiVersion)
        {
            return (attributes.Type.Group, attributes.Type.Version);
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    /// <summary>
    /// Whether a webhook's rules name the operation on the type's resource and subresource, whatever the group, version,
    /// scope and selectors: what a write must pass before anything is built for the webhooks. No webhook sees the
    /// webhook configurations themselves.
    /// </summary>
    public static bool AnyMayMatch(IReadOnlyList<Webhook> hooks, ResourceType type, string operation, string? subresource) =>
        hooks.Count > 0 && !WebhookConfigurations.IsExempt(type) && AnyMayMatch(hooks.Select(h => h.Criteria), type, operation, subresource);

    /// <summary>
    /// Whether any of <paramref name="criteria"/> may match the operation on the type's resource, whatever the group,
    /// version, scope and selectors (see the webhooks' overload).
    /// </summary>
    public static bool AnyMayMatch(IEnumerable<MatchCriteria> criteria, ResourceType type, string operation, string? subresource)
    {
        foreach (var each in criteria)
        {
            if (each.Rules is null)
            {
                return true;
            }

            foreach (var rule in each.Rules)
            {
                if ((rule.Rule.Operations ?? []).Any(op => op == AdmissionOperations.All || op == operation)
                    && (rule.Rule.Resources ?? []).Any(r => MatchesResource(r, type.Plural, subresource ?? "")))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // An empty name list names every object (a create is matched by the name it will have, a generated one too).
    private static bool Matches(MatchRule rule, AdmissionAttributes attributes, string group, string version) =>
        Matches(rule.Rule, attributes, group, version) && (rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(attributes.Name));

    private static bool Matches(V1RuleWithOperations rule, AdmissionAttributes attributes, string group, string version) =>
        MatchesScope(rule.Scope, attributes)
        && (rule.Operations ?? []).Any(op => op == AdmissionOperations.All || op == attributes.Operation)
        && (rule.ApiGroups ?? []).Any(g => g == "*" || g == group)
        && (rule.ApiVersions ?? []).Any(v => v == "*" || v == version)
        && (rule.Resources ?? []).Any(r => MatchesResource(r, attributes.Type.Plural, attributes.Subresource ?? ""));

    private static bool MatchesResource(string rule, string resource, string subresource)
    {
        var slash = rule.IndexOf('/', StringComparison.Ordinal);
        var (ruleResource, ruleSubresource) = slash < 0 ? (rule, "") : (rule[..slash], rule[(slash + 1)..]);
        return (ruleResource == "*" || ruleResource == resource) && (ruleSubresource == "*" || ruleSubresource == subresource);
    }

    // A Namespace is cluster-scoped, though its requests carry its name as their namespace.
    private static bool MatchesScope(string? scope, AdmissionAttributes attributes)
    {
        var isNamespace = attributes.Type == Namespaces;
        return scope switch
        {
            "Namespaced" => !isNamespace && !string.IsNullOrEmpty(attributes.Namespace),
            "Cluster" => isNamespace || string.IsNullOrEmpty(attributes.Namespace),
            _ => true,
        };
    }

    private bool MatchesNamespace(MatchCriteria criteria, AdmissionAttributes attributes)
    {
        var isNamespace = attributes.Type == Namespaces && attributes.Subresource is null;
        if (criteria.NamespaceSelector.IsEmpty || (string.IsNullOrEmpty(attributes.Namespace) && !isNamespace))
        {
            return true;
        }

        // A Namespace written is judged by the labels it is written with; its deletion by those it has.
        var labels = isNamespace && attributes.Object is { } written
            ? Labels(written)
            : cache.Get(Namespaces.Key(null, attributes.Namespace ?? attributes.Name)) is { } stored ? Labels(JsonNode.Parse(stored.Json)!.AsObject()) : null;
        return criteria.NamespaceSelector.Matches(labels);
    }

    // An object without metadata (a CONNECT's PodExecOptions) matches no selector but the empty one, as kube's matchObject.
    private static bool MatchesObject(MatchCriteria criteria, AdmissionAttributes attributes) =>
        criteria.ObjectSelector.IsEmpty
        || (attributes.Object is { } obj && obj["metadata"] is JsonObject && criteria.ObjectSelector.Matches(Labels(obj)))
        || (attributes.OldObject is { } old && old["metadata"] is JsonObject && criteria.ObjectSelector.Matches(Labels(old)));

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject labels
            ? labels.Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal)
            : [];
}
