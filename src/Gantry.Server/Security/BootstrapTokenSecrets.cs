using System.Text;
using Gantry.Core.Security;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>Builds the Secret that stores a bootstrap token, as <c>kubeadm token create</c> does.</summary>
public static class BootstrapTokenSecrets
{
    /// <summary>
    /// The Secret for <paramref name="token"/>, usable for authentication only, expiring
    /// <paramref name="ttl"/> after <paramref name="now"/> (never when <paramref name="ttl"/> is zero).
    /// </summary>
    public static V1Secret Create(BootstrapToken token, TimeSpan ttl, string? description, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [BootstrapTokenSecret.TokenIdKey] = Encoding.UTF8.GetBytes(token.Id),
            [BootstrapTokenSecret.TokenSecretKey] = Encoding.UTF8.GetBytes(token.Secret),
            [BootstrapTokenSecret.UsageAuthenticationKey] = "true"u8.ToArray(),
        };
        if (ttl > TimeSpan.Zero)
        {
            data[BootstrapTokenSecret.ExpirationKey] = Encoding.UTF8.GetBytes(BootstrapTokenSecret.FormatExpiration(now + ttl));
        }

        if (!string.IsNullOrEmpty(description))
        {
            data[BootstrapTokenSecret.DescriptionKey] = Encoding.UTF8.GetBytes(description);
        }

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = token.SecretName, NamespaceProperty = BootstrapTokenSecret.Namespace },
            Type = BootstrapTokenSecret.Type,
            Data = data,
        };
    }
}
