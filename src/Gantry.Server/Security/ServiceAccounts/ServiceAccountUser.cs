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
        return new RequestUser(claims.Subject, [AllGroup, $"{AllGroup}:{claims.Namespace}", RequestUser.Authenticated]);
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
