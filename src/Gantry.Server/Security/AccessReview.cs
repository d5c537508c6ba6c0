using System.Text.Json.Nodes;

namespace Gantry.Server.Security;

/// <summary>
/// What a SelfSubjectAccessReview or SelfSubjectRulesReview answers for the user who sends it: the same decision
/// <see cref="RequestAuthorizer"/> makes for a real request, and the rules behind it as kube's authorizers list them:
/// everything for <c>system:masters</c>, a node's own rules, and the RBAC rules bound to the user (which, with kube's
/// default bindings, let every authenticated user read discovery, health and version and review itself).
/// </summary>
public sealed class AccessReview(RequestAuthorizer authorizer)
{
    private static readonly PolicyRule Everything = new(["*"], ["*"], ["*"]);

    private static readonly PolicyRule EveryPath = PolicyRule.ForUrls(["*"], "*");

    /// <summary>Whether the user may do what <paramref name="request"/> asks (kube's resourceAttributes), and why.</summary>
    public AccessDecision Decide(RequestUser user, RequestAttributes request) => authorizer.Decide(user, request);

    /// <summary>Whether the user may send <paramref name="verb"/> to a path outside the resource API (kube's nonResourceAttributes), and why.</summary>
    public AccessDecision DecidePath(RequestUser user, string verb, string path) => authorizer.DecidePath(user, verb, path);

    /// <summary>
    /// A SelfSubjectRulesReview's status for <paramref name="ns"/>: <c>system:masters</c> may do everything; a node's
    /// rules that depend on the objects it names cannot be listed, so its list is incomplete, as kube marks it when an
    /// authorizer (the node authorizer) cannot list its rules.
    /// </summary>
    public JsonObject Rules(RequestUser user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        var masters = user.IsIn(RequestUser.Masters);
        var rbac = authorizer.RbacRulesFor(user, ns).ToList();
        IEnumerable<PolicyRule> resourceRules = [.. masters ? [Everything] : NodeRules(user, ns), .. rbac.Where(r => r.NonResourceUrls.Count == 0)];
        IEnumerable<PolicyRule> nonResourceRules = [.. masters ? [EveryPath] : Array.Empty<PolicyRule>(), .. rbac.Where(r => r.NonResourceUrls.Count > 0)];
        return new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. resourceRules.Select(ToJson)]),
            ["nonResourceRules"] = new JsonArray([.. nonResourceRules.Select(ToJson)]),
            ["incomplete"] = !masters && user.IsIn(RequestUser.Nodes),
        };
    }

    private static IEnumerable<PolicyRule> NodeRules(RequestUser user, string? ns) =>
        user.IsIn(RequestUser.Nodes) && user.TokenId is not null ? NodeRole.RulesForEveryNode.Where(r => r.Namespace is null || r.Namespace == ns) : [];

    /// <summary>kube's <c>ResourceRule</c> or <c>NonResourceRule</c>.</summary>
    private static JsonNode ToJson(PolicyRule rule)
    {
        if (rule.NonResourceUrls.Count > 0)
        {
            return new JsonObject { ["verbs"] = Strings(rule.Verbs), ["nonResourceURLs"] = Strings(rule.NonResourceUrls) };
        }

        var json = new JsonObject { ["verbs"] = Strings(rule.Verbs), ["apiGroups"] = Strings(rule.Groups), ["resources"] = Strings(rule.Resources) };
        if (rule.Names is { } names)
        {
            json["resourceNames"] = Strings(names);
        }

        return json;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
