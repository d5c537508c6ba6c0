namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// What a service account token says, as kube's bound tokens say it (pkg/serviceaccount/claims.go): whose it is, for
/// which audiences, when it is valid, and the object it is bound to, if any: a pod (and its node), a node or a secret.
/// </summary>
public sealed record ServiceAccountTokenClaims(
    string Namespace,
    string ServiceAccountName,
    string ServiceAccountUid,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiry,
    string Id)
{
    public BoundObject? Pod { get; init; }

    public BoundObject? Node { get; init; }

    public BoundObject? Secret { get; init; }

    /// <summary>The user the token authenticates as: <c>system:serviceaccount:NAMESPACE:NAME</c>.</summary>
    public string Subject => ServiceAccountUser.Name(Namespace, ServiceAccountName);
}

/// <summary>An object a token is bound to: it is valid only while an object of this name and uid exists.</summary>
public sealed record BoundObject(string Name, string Uid);

/// <summary>
/// What a service account token Secret's token says (kube's <c>legacyPrivateClaims</c>): the service account it
/// authenticates as, and the Secret that must still hold it.
/// </summary>
public sealed record LegacyTokenClaims(string Namespace, string SecretName, string ServiceAccountName, string ServiceAccountUid);
