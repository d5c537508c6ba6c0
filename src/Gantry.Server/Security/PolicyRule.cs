namespace Gantry.Server.Security;

/// <summary>
/// One rule of a role, as RBAC writes them: the verbs it allows on some resources of some API groups (a
/// subresource is named <c>pods/status</c>), optionally only in one namespace or only for some object names.
/// </summary>
public sealed record PolicyRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> Groups, IReadOnlyList<string> Resources)
{
    /// <summary>Null: every namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Null: every object, and lists of them; otherwise only a request naming one of these objects.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    public bool Allows(RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Verbs.Contains(request.Verb, StringComparer.Ordinal) &&
            Groups.Contains(request.Group, StringComparer.Ordinal) &&
            Resources.Contains(request.QualifiedResource, StringComparer.Ordinal) &&
            (Namespace is null || Namespace == request.Namespace) &&
            (Names is null || (request.Name is not null && Names.Contains(request.Name, StringComparer.Ordinal)));
    }
}
