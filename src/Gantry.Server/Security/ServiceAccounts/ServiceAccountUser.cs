namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>How kube names a service account as a user, and the groups it is in (k8s.io/apiserver's serviceaccount util).</summary>
public static class ServiceAccountUser
{
    public const string Prefix = "system:serviceaccount:";

    public const string AllGroup = "system:serviceaccounts";

    public static string Name(string ns, string name) => $"{Prefix}{ns}:{name}";

    public static RequestUser Of(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Of(claims.Namespace, claims.ServiceAccountName);
    }

    /// <summary>The service account as a user: its name and kube's groups for it.</summary>
    public static RequestUser Of(string ns, string name) =>
        new(Name(ns, name), [AllGroup, $"{AllGroup}:{ns}", RequestUser.Authenticated]);

    public const string PodNameKey = "authentication.kubernetes.io/pod-name";

    public const string PodUidKey = "authentication.kubernetes.io/pod-uid";

    public const string NodeNameKey = "authentication.kubernetes.io/node-name";

    public const string NodeUidKey = "authentication.kubernetes.io/node-uid";

    public const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    /// <summary>
    /// The user extra kube's <c>ServiceAccountInfo.UserInfo</c> gives a token's user: the pod and node it is bound to,
    /// and the token's id as <c>JTI=&lt;jti&gt;</c>; keys in order, as Go's JSON writes a map.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Extra(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var extra = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (claims.Pod is { Name.Length: > 0, Uid.Length: > 0 } pod)
        {
            extra[PodNameKey] = [pod.Name];
            extra[PodUidKey] = [pod.Uid];
        }

        if (claims.Node is { Name.Length: > 0 } node)
        {
            extra[NodeNameKey] = [node.Name];
            if (node.Uid.Length > 0)
            {
                extra[NodeUidKey] = [node.Uid];
            }
        }

        if (claims.Id.Length > 0)
        {
            extra[CredentialIdKey] = ["JTI=" + claims.Id];
        }

        return extra;
    }

    /// <summary>The namespace and name of a service account user, or null for any other user.</summary>
    public static (string Namespace, string Name)? Split(string user)
    {
        if (!user.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = user[Prefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }
}
