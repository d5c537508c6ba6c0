using System.Globalization;

namespace Gantry.Core.Security;

/// <summary>
/// How a bootstrap token is stored: a Secret <c>kube-system/bootstrap-token-&lt;id&gt;</c> of type
/// <c>bootstrap.kubernetes.io/token</c>, with the key names of k8s.io/cluster-bootstrap/token/api.
/// </summary>
public static class BootstrapTokenSecret
{
    public const string Namespace = "kube-system";

    public const string NamePrefix = "bootstrap-token-";

    public const string Type = "bootstrap.kubernetes.io/token";

    public const string TokenIdKey = "token-id";

    public const string TokenSecretKey = "token-secret";

    public const string ExpirationKey = "expiration";

    public const string DescriptionKey = "description";

    public const string UsagePrefix = "usage-bootstrap-";

    public const string UsageAuthenticationKey = "usage-bootstrap-authentication";

    public const string ExtraGroupsKey = "auth-extra-groups";

    /// <summary>
    /// Whether a token with this <c>expiration</c> value has expired at <paramref name="now"/>. No value
    /// never expires; a value that is not RFC 3339 counts as expired, as in cluster-bootstrap's
    /// <c>HasExpired</c>, so a corrupted Secret fails closed.
    /// </summary>
    public static bool HasExpired(string? expiration, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(expiration))
        {
            return false;
        }

        if (!DateTimeOffset.TryParseExact(expiration, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var expires))
        {
            return true;
        }

        return now >= expires;
    }

    /// <summary>The RFC 3339 form (UTC, whole seconds) the <c>expiration</c> key holds.</summary>
    public static string FormatExpiration(DateTimeOffset expires) =>
        expires.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
