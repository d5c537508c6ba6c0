using System.Text.Json.Nodes;

namespace Gantry.Server.Security;

/// <summary>
/// What a SelfSubjectAccessReview or SelfSubjectRulesReview answers for the user who sends it: the same decision
/// <see cref="RequestAuthorizer"/> makes for a real request, and the rules behind it as RBAC would list them. Every
/// authenticated user may read discovery, health and version (kube's <c>system:discovery</c> and
/// <c>system:public-info-viewer</c>) and review itself (<c>system:basic-user</c>).
/// </summary>
public sealed class AccessReview(RequestAuthorizer authorizer)
{
    private static readonly string[] PublicPaths =
        ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"];

    private static readonly PolicyRule[] SelfReviews =
    [
        new(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
        new(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
    ];

    private static readonly PolicyRule Everything = new(["*"], ["*"], ["*"]);

    /// <summary>Whether the user may do what <paramref name="request"/> asks (kube's resourceAttributes).</summary>
    public bool Allows(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        return authorizer.Allows(user, request) || SelfReviews.Any(r => r.Allows(request));
    }

    /// <summary>Whether the user may send <paramref name="verb"/> to a path outside the resource API (kube's nonResourceAttributes).</summary>
    public static bool AllowsPath(RequestUser user, string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsIn(RequestUser.Masters) || (verb == "get" && PublicPaths.Any(p => Matches(p, path)));
    }

    /// <summary>
    /// A SelfSubjectRulesReview's status for <paramref name="ns"/>: <c>system:masters</c> may do everything; a node's
    /// rules that depend on the objects it names cannot be listed, so its list is incomplete, as kube marks it when an
    /// authorizer (the node authorizer) cannot list its rules.
    /// </summary>
    public static JsonObject Rules(RequestUser user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        var masters = user.IsIn(RequestUser.Masters);
        var resourceRules = masters ? [Everything, .. SelfReviews] : NodeRules(user, ns).Concat(SelfReviews);
        var nonResourceRules = new JsonArray();
        if (masters)
        {
            nonResourceRules.Add(new JsonObject { ["verbs"] = Strings(["*"]), ["nonResourceURLs"] = Strings(["*"]) });
        }

        nonResourceRules.Add(new JsonObject { ["verbs"] = Strings(["get"]), ["nonResourceURLs"] = Strings(PublicPaths) });
        return new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. resourceRules.Select(ToJson)]),
            ["nonResourceRules"] = nonResourceRules,
            ["incomplete"] = !masters && user.IsIn(RequestUser.Nodes),
        };
    }

    private static IEnumerable<PolicyRule> NodeRules(RequestUser user, string? ns) =>
        user.IsIn(RequestUser.Nodes) ? NodeRole.RulesForEveryNode.Where(r => r.Namespace is null || r.Namespace == ns) : [];

    private static JsonNode ToJson(PolicyRule rule)
    {
        var json = new JsonObject { ["verbs"] = Strings(rule.Verbs), ["apiGroups"] = Strings(rule.Groups), ["resources"] = Strings(rule.Resources) };
        if (rule.Names is { } names)
        {
            json["resourceNames"] = Strings(names);
        }

        return json;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>RBAC's nonResourceURLs match: exact, or a trailing <c>*</c> matching any rest.</summary>
    private static bool Matches(string pattern, string path) =>
        pattern.EndsWith('*') ? path.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == path;
}
