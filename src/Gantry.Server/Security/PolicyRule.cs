using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// One rule of a role, as RBAC writes them: the verbs it allows on some resources of some API groups (a
/// subresource is named <c>pods/status</c>), optionally only in one namespace or only for some object names; or the
/// verbs it allows on some non-resource URLs. It matches as kube's <c>RuleAllows</c>: <c>*</c> stands for every
/// verb, group or resource, <c>*/status</c> for that subresource of every resource, and a URL ending in <c>*</c> for
/// every path it starts.
/// </summary>
public sealed record PolicyRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> Groups, IReadOnlyList<string> Resources)
{
    private const string All = "*";

    /// <summary>Null: every namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Null: every object, and lists of them; otherwise only a request naming one of these objects.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>The paths outside the resource API this rule allows; a rule names these or resources, never both.</summary>
    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    /// <summary>A rule of a stored role, as kube reads <c>rbacv1.PolicyRule</c>.</summary>
    public static PolicyRule Of(V1PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new([.. rule.Verbs ?? []], [.. rule.ApiGroups ?? []], [.. rule.Resources ?? []])
        {
            Names = rule.ResourceNames is { Count: > 0 } names ? [.. names] : null,
            NonResourceUrls = [.. rule.NonResourceURLs ?? []],
        };
    }

    /// <summary>A non-resource rule: <paramref name="verbs"/> on <paramref name="urls"/>.</summary>
    public static PolicyRule ForUrls(IReadOnlyList<string> verbs, params string[] urls) => new(verbs, [], []) { NonResourceUrls = urls };

    public bool Allows(RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return VerbMatches(request.Verb) &&
            (Groups.Contains(All, StringComparer.Ordinal) || Groups.Contains(request.Group, StringComparer.Ordinal)) &&
            ResourceMatches(request) &&
            (Namespace is null || Namespace == request.Namespace) &&
            (Names is null || (request.Name is not null && Names.Contains(request.Name, StringComparer.Ordinal)));
    }

    /// <summary>kube's <c>NonResourceURLMatches</c>: exact, <c>*</c>, or a prefix ending in <c>*</c>.</summary>
    public bool AllowsPath(string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return VerbMatches(verb) && NonResourceUrls.Any(url =>
            url == All || url == path || (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
    }

    private bool VerbMatches(string verb) => Verbs.Contains(All, StringComparer.Ordinal) || Verbs.Contains(verb, StringComparer.Ordinal);

    private bool ResourceMatches(RequestAttributes request)
    {
        var combined = request.QualifiedResource;
        foreach (var resource in Resources)
        {
            if (resource == All || resource == combined ||
                (request.Subresource is { Length: > 0 } sub && resource.Length == sub.Length + 2 && resource.StartsWith("*/", StringComparison.Ordinal) &&
                 resource.EndsWith(sub, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
