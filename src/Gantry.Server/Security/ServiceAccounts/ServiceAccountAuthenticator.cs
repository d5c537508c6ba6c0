using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Storage;

namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// Authenticates a bearer token that <see cref="ServiceAccountTokens"/> signed, as kube's service account token
/// authenticator does: for a bound token, the service account it names must still exist with the same uid, and so must
/// the pod, secret or node it is bound to, unless that object's deletion is under way (a pod-bound token's node is only
/// named, not checked); for a service account token Secret's token, the Secret must still hold it
/// (<see cref="AuthenticateLegacy"/>). The user is the service account's.
/// </summary>
/// <param name="legacyUses">Where the uses of Secrets' tokens are marked; none in a test that does not look.</param>
public sealed class ServiceAccountAuthenticator(ServiceAccountTokens tokens, WatchCache cache, TimeProvider time, LegacyTokenUse? legacyUses = null)
{
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    /// <summary>The label that marks a Secret's token as no longer accepted (kube's <c>InvalidSinceLabelKey</c>).</summary>
    public const string LegacyTokenInvalidSince = "kubernetes.io/legacy-token-invalid-since";

    /// <summary>The user of a token meant for this server's own API, or null.</summary>
    public RequestUser? Authenticate(string token) => Authenticate(token, ServiceAccountTokens.ApiAudiences).User;

    /// <summary>
    /// A token checked in the order of kube's JWT authenticator: one this server did not sign is not its to judge; one
    /// it did is refused, with kube's message, when none of its audiences is among <paramref name="audiences"/>; then
    /// what it is bound to must still exist. The user comes with the service account's uid and kube's extra.
    /// </summary>
    public TokenAuthenticationResult Authenticate(string token, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        if (tokens.Verify(token) is not { } claims)
        {
            return tokens.VerifyLegacy(token) is { } legacy ? AuthenticateLegacy(token, legacy, audiences) : TokenAuthenticationResult.Refused;
        }

        var matched = claims.Audiences.Intersect(audiences, StringComparer.Ordinal).ToList();
        if (matched.Count == 0)
        {
            return TokenAuthenticationResult.Refusal($"token audiences {GoStrings(claims.Audiences)} is invalid for the target audiences {GoStrings(audiences)}");
        }

        if (!Exists(ServiceAccounts, claims.Namespace, new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid), deletionEnds: false) ||
            (claims.Pod is { } pod && !Exists(Pods, claims.Namespace, pod, deletionEnds: true)) ||
            (claims.Secret is { } secret && !Exists(Secrets, claims.Namespace, secret, deletionEnds: true)) ||
            (claims.Pod is null && claims.Node is { } node && !Exists(Nodes, null, node, deletionEnds: true)))
        {
            return TokenAuthenticationResult.Refused;
        }

        return new TokenAuthenticationResult(ServiceAccountUser.Of(claims), matched)
        {
            Uid = claims.ServiceAccountUid,
            Extra = ServiceAccountUser.Extra(claims),
        };
    }

    /// <summary>
    /// A service account token Secret's token, checked as kube's legacy validator checks it: it is meant for the API
    /// server's own audiences; the Secret must still hold exactly this token, not be under deletion nor marked invalid
    /// (<c>kubernetes.io/legacy-token-invalid-since</c>, refused with kube's message); the service account must still
    /// exist with the uid the token names. The user is the service account's, with no extra. Each use is marked on the
    /// Secret (<see cref="LegacyTokenUse"/>).
    /// </summary>
    private TokenAuthenticationResult AuthenticateLegacy(string token, LegacyTokenClaims claims, IReadOnlyList<string> audiences)
    {
        var matched = ServiceAccountTokens.ApiAudiences.Intersect(audiences, StringComparer.Ordinal).ToList();
        if (matched.Count == 0)
        {
            return TokenAuthenticationResult.Refusal(
                $"token audiences {GoStrings(ServiceAccountTokens.ApiAudiences)} is invalid for the target audiences {GoStrings(audiences)}");
        }

        if (cache.Get(Secrets.Key(claims.Namespace, claims.SecretName)) is not { } cached)
        {
            return TokenAuthenticationResult.Refused;
        }

        bool markedInvalid;
        string secretUid;
        string? lastUsed;
        using (var document = JsonDocument.Parse(cached.Json))
        {
            var secret = document.RootElement;
            var metadata = secret.GetProperty("metadata");
            if (metadata.TryGetProperty("deletionTimestamp", out _) || !HoldsToken(secret, token))
            {
                return TokenAuthenticationResult.Refused;
            }

            secretUid = metadata.GetProperty("uid").GetString() ?? "";
            var labels = metadata.TryGetProperty("labels", out var labelsElement) ? labelsElement : default;
            markedInvalid = Label(labels, LegacyTokenInvalidSince) is { Length: > 0 };
            lastUsed = Label(labels, LegacyTokenUse.LastUsedLabel);
        }

        if (!Exists(ServiceAccounts, claims.Namespace, new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid), deletionEnds: true))
        {
            return TokenAuthenticationResult.Refused;
        }

        // As kube, a use is marked whether or not the token is still accepted.
        legacyUses?.Record(claims.Namespace, claims.SecretName, secretUid, lastUsed);
        if (markedInvalid)
        {
            return TokenAuthenticationResult.Refusal(
                $"the token in secret {claims.Namespace}/{claims.SecretName} for service account {claims.Namespace}/{claims.ServiceAccountName} " +
                "has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the " +
                $"'{LegacyTokenInvalidSince}' label from the secret to temporarily allow use of this token");
        }

        return new TokenAuthenticationResult(ServiceAccountUser.Of(claims.Namespace, claims.ServiceAccountName), matched)
        {
            Uid = claims.ServiceAccountUid,
        };
    }

    private static string? Label(JsonElement labels, string name) =>
        labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Whether the Secret's <c>data.token</c> is <paramref name="token"/>, compared in constant time.</summary>
    private static bool HoldsToken(JsonElement secret, string token) =>
        secret.TryGetProperty("data", out var data) && data.TryGetProperty("token", out var held) &&
        held.TryGetBytesFromBase64(out var bytes) &&
        CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(token));

    /// <summary>A list of strings as Go's <c>%q</c> prints it: <c>["a" "b"]</c>.</summary>
    private static string GoStrings(IEnumerable<string> values) => "[" + string.Join(' ', values.Select(GoValue.Quote)) + "]";

    private bool Exists(ResourceType type, string? ns, BoundObject bound, bool deletionEnds)
    {
        if (cache.Get(type.Key(ns, bound.Name)) is not { } cached)
        {
            return false;
        }

        using var document = JsonDocument.Parse(cached.Json);
        var metadata = document.RootElement.GetProperty("metadata");
        if (metadata.GetProperty("uid").GetString() != bound.Uid)
        {
            return false;
        }

        return !deletionEnds ||
            !metadata.TryGetProperty("deletionTimestamp", out var deletion) ||
            deletion.GetDateTimeOffset() > time.GetUtcNow();
    }
}
