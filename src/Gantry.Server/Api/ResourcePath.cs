using Gantry.Core.Resources;

namespace Gantry.Server.Api;

/// <summary>
/// A request path under <c>/api</c> or <c>/apis</c> resolved to a resource: which type, which
/// namespace (null for all namespaces or cluster-scoped), which object and which subresource.
/// </summary>
public sealed record ResourcePath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after the group version, e.g. <c>namespaces/default/pods/web/log</c>.</summary>
    public static ResourcePath? Parse(string group, string version, ReadOnlySpan<string> rest)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !IsNamespaceSubresource(group, rest))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length == 0 || ResourceCatalog.Find(group, version, rest[0]) is not { } type)
        {
            return null;
        }

        if (ns is not null && !type.Namespaced)
        {
            return null;
        }

        return rest.Length switch
        {
            1 => new ResourcePath(type, ns, null, null),
            2 => new ResourcePath(type, ns, rest[1], null),
            3 when type.HasSubresource(rest[2]) => new ResourcePath(type, ns, rest[1], rest[2]),
            // The proxy subresource carries the backend's path after it (ProxySubresource reads it from the request).
            > 3 when rest[2] == "proxy" && type.HasSubresource("proxy") => new ResourcePath(type, ns, rest[1], rest[2]),
            _ => null,
        };
    }

    // /api/v1/namespaces/{name}/status and /finalize address the namespace itself, not its content.
    private static bool IsNamespaceSubresource(string group, ReadOnlySpan<string> rest) =>
        group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize";
}
