using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Decides whether the request's user may do what it asks, after authentication and before anything is read or
/// written: <c>system:masters</c> may do everything, <c>system:nodes</c> what <see cref="NodeRole"/> allows,
/// everyone the anonymous read of cluster-info, and anyone what the RBAC roles bound to them allow
/// (<see cref="RbacPolicy"/>), checked in that order as kube-apiserver chains its authorizers, so that the masters'
/// requests cost nothing more. A refusal is kube-apiserver's 403 Forbidden Status, in its words.
/// </summary>
public sealed class RequestAuthorizer(NodeRole nodes, IRbacPolicySource rbac)
{
    private static readonly PolicyRule ClusterInfoRead = new(["get"], [""], ["configmaps"])
    {
        Namespace = ClusterInfo.Namespace,
        Names = [ClusterInfo.Name],
    };

    /// <exception cref="ApiException">403 Forbidden.</exception>
    public void Authorize(HttpContext context, ResourcePath path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);
        Authorize(context, path.Served, RequestAttributes.Of(context.Request, path));
    }

    /// <summary>A request for <paramref name="type"/> described by <paramref name="request"/>: for resources served
    /// without a <see cref="ResourcePath"/>, such as the resource metrics API.</summary>
    /// <exception cref="ApiException">403 Forbidden.</exception>
    public void Authorize(HttpContext context, Gantry.Core.Resources.ResourceType type, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = RequestUser.Of(context);
        if (!Allows(user, request))
        {
            throw ApiException.Forbidden(type, request.Name, ForbiddenMessage(user, request));
        }
    }

    /// <summary>
    /// A path outside the resource API (Gantry's own endpoints, the server's metrics): for <c>system:masters</c>, and
    /// for whoever a ClusterRoleBinding grants the path's verb among its non-resource URLs, as kube-apiserver allows
    /// <c>/metrics</c> to a scraper.
    /// </summary>
    /// <exception cref="ApiException">403 Forbidden.</exception>
    public void AuthorizeNonResource(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = HttpMethods.IsGet(context.Request.Method) ? "get" : context.Request.Method.ToLowerInvariant();
        if (!AllowsNonResource(context, verb, context.Request.Path.Value ?? "/"))
        {
            throw new ApiException(403, "Forbidden", $"forbidden: User \"{RequestUser.Of(context).Name}\" cannot {verb} path \"{context.Request.Path}\"");
        }
    }

    /// <summary>
    /// Whether the request's user may send <paramref name="verb"/> to <paramref name="path"/> outside the resource API, as
    /// <see cref="AuthorizeNonResource(HttpContext)"/> decides for the request's own path: for an endpoint whose request
    /// also acts on another path (a Marathon deployment's cancel, on its app's).
    /// </summary>
    public bool AllowsNonResource(HttpContext context, string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = RequestUser.Of(context);
        return user.IsIn(RequestUser.Masters) || rbac.Policy.AllowsPath(user, verb, path);
    }

    /// <summary>
    /// The decision with the reason kube's authorizers give a SubjectAccessReview: none when a privileged group or the
    /// node authorizer allows; RBAC's <c>RBAC: allowed by …</c> naming the binding; for a refusal, RBAC's errors resolving
    /// the user's bindings, if any.
    /// </summary>
    public AccessDecision Decide(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (user.IsIn(RequestUser.Masters) || ClusterInfoRead.Allows(request) || (user.IsIn(RequestUser.Nodes) && nodes.Allows(user, request)))
        {
            return AccessDecision.Allowed("");
        }

        return rbac.Policy.AllowedBy(user, request) is { } source
            ? AccessDecision.Allowed(RbacAllowed(source))
            : AccessDecision.NoOpinion(RbacUnresolved(user, request.Namespace));
    }

    /// <summary><see cref="Decide"/> for a path outside the resource API.</summary>
    public AccessDecision DecidePath(RequestUser user, string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsIn(RequestUser.Masters))
        {
            return AccessDecision.Allowed("");
        }

        return rbac.Policy.PathAllowedBy(user, verb, path) is { } source
            ? AccessDecision.Allowed(RbacAllowed(source))
            : AccessDecision.NoOpinion(RbacUnresolved(user, null));
    }

    public bool Allows(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        return user.IsIn(RequestUser.Masters) ||
            ClusterInfoRead.Allows(request) ||
            (user.IsIn(RequestUser.Nodes) && nodes.Allows(user, request)) ||
            rbac.Policy.Allows(user, request);
    }

    /// <summary>The RBAC rules that apply to the user in <paramref name="ns"/>, as a SelfSubjectRulesReview lists them.</summary>
    public IEnumerable<PolicyRule> RbacRulesFor(RequestUser user, string? ns) => rbac.Policy.RulesFor(user, ns);

    /// <summary>Why bindings of the user in <paramref name="ns"/> grant nothing: kube's rule resolution errors.</summary>
    public IReadOnlyList<string> RbacResolutionErrors(RequestUser user, string? ns) => rbac.Policy.ResolutionErrors(user, ns);

    /// <summary>Whether RBAC lets the user send <paramref name="verb"/> to a path outside the resource API.</summary>
    public bool AllowsPath(RequestUser user, string verb, string path) => rbac.Policy.AllowsPath(user, verb, path);

    private static string RbacAllowed(string source) => "RBAC: allowed by " + source;

    /// <summary>kube's RBAC reason for no opinion: its resolution errors as an aggregate error prints them, or nothing.</summary>
    private string RbacUnresolved(RequestUser user, string? ns)
    {
        var errors = rbac.Policy.ResolutionErrors(user, ns).Distinct(StringComparer.Ordinal).ToList();
        return errors.Count switch
        {
            0 => "",
            1 => "RBAC: " + errors[0],
            _ => "RBAC: [" + string.Join(", ", errors) + "]",
        };
    }

    /// <summary>The apiserver's <c>forbiddenMessage</c>.</summary>
    private static string ForbiddenMessage(RequestUser user, RequestAttributes request) =>
        request.Namespace is { Length: > 0 } ns
            ? $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.QualifiedResource}\" in API group \"{request.Group}\" in the namespace \"{ns}\""
            : $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.QualifiedResource}\" in API group \"{request.Group}\" at the cluster scope";
}

/// <summary>An authorizer's decision and the reason it gives (empty when it gives none).</summary>
public sealed record AccessDecision(bool IsAllowed, string Reason)
{
    public static AccessDecision Allowed(string reason) => new(true, reason);

    public static AccessDecision NoOpinion(string reason) => new(false, reason);
}
