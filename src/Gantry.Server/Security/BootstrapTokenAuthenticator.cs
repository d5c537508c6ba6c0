using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Storage;

namespace Gantry.Server.Security;

/// <summary>
/// Accepts bootstrap tokens (<c>&lt;id&gt;.&lt;secret&gt;</c>) whose Secret
/// <c>kube-system/bootstrap-token-&lt;id&gt;</c> allows authentication, with the checks of
/// kube-apiserver's bootstrap token authenticator (plugin/pkg/auth/authenticator/token/bootstrap):
/// the Secret exists and is not being deleted, has the bootstrap type, its token-secret matches in
/// constant time, its token-id matches, it has not expired and usage-bootstrap-authentication is
/// "true". The Secret is read from the watch cache, in memory: a request never reads the store.
/// </summary>
/// <remarks>
/// An accepted token acts as user <c>system:bootstrap:&lt;id&gt;</c> with a node's rights (<see cref="NodeRole"/>):
/// enough to run an agent, not to run workloads or read the cluster's Secrets.
/// </remarks>
public sealed class BootstrapTokenAuthenticator(WatchCache cache, TimeProvider time)
{
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");

    public bool IsValid(string presented)
    {
        if (!BootstrapToken.TryParse(presented, out var token) ||
            cache.Get(Secrets.Key(BootstrapTokenSecret.Namespace, token.SecretName)) is not { } cached)
        {
            return false;
        }

        using var document = JsonDocument.Parse(cached.Json);
        var secret = document.RootElement;
        if (secret.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("deletionTimestamp", out var deleting) &&
            deleting.ValueKind != JsonValueKind.Null)
        {
            return false;
        }

        if (!secret.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != BootstrapTokenSecret.Type ||
            !secret.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var storedSecret = Value(data, BootstrapTokenSecret.TokenSecretKey);
        if (storedSecret is null || !CryptographicOperations.FixedTimeEquals(storedSecret, Encoding.UTF8.GetBytes(token.Secret)))
        {
            return false;
        }

        return Text(data, BootstrapTokenSecret.TokenIdKey) == token.Id &&
            !BootstrapTokenSecret.HasExpired(Text(data, BootstrapTokenSecret.ExpirationKey), time.GetUtcNow()) &&
            Text(data, BootstrapTokenSecret.UsageAuthenticationKey) == "true";
    }

    /// <summary>A Secret's data value, decoded from the base64 it is stored in; null when absent or not base64.</summary>
    private static byte[]? Value(JsonElement data, string key)
    {
        if (!data.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return value.TryGetBytesFromBase64(out var bytes) ? bytes : null;
    }

    private static string? Text(JsonElement data, string key) => Value(data, key) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
