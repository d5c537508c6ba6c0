using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// Signs and checks service account tokens: JWTs signed ES256 with the <see cref="ServiceAccountKey"/>, with kube's
/// claims (the issuer and audience kube-apiserver uses by default, <c>sub</c>, <c>jti</c>, and the
/// <c>kubernetes.io</c> claim naming the namespace, the service account and the bound pod and node, node or secret), and the
/// long-lived tokens of service account token Secrets (<see cref="IssueLegacy"/>). A token is valid here when its
/// signature, issuer, audience and time window are; whether what it names still exists is the
/// <see cref="ServiceAccountAuthenticator"/>'s to check.
/// </summary>
public sealed class ServiceAccountTokens(ServiceAccountKey key, TimeProvider time)
{
    /// <summary>kube-apiserver's default <c>--service-account-issuer</c>, also its default API audience.</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>As kube's validator: the clocks of the issuer and the server may differ this much.</summary>
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"kid\":\"");

    /// <summary>The issuer of the tokens kube's token controller writes into service account token Secrets.</summary>
    public const string LegacyIssuer = "kubernetes/serviceaccount";

    private const string LegacyNamespaceClaim = "kubernetes.io/serviceaccount/namespace";
    private const string LegacySecretNameClaim = "kubernetes.io/serviceaccount/secret.name";
    private const string LegacyServiceAccountNameClaim = "kubernetes.io/serviceaccount/service-account.name";
    private const string LegacyServiceAccountUidClaim = "kubernetes.io/serviceaccount/service-account.uid";

    public static IReadOnlyList<string> ApiAudiences { get; } = [Issuer];

    public string Issue(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var kubernetes = new JsonObject { ["namespace"] = claims.Namespace };
        if (claims.Node is { } node)
        {
            kubernetes["node"] = Reference(node);
        }

        if (claims.Pod is { } pod)
        {
            kubernetes["pod"] = Reference(pod);
        }

        if (claims.Secret is { } secret)
        {
            kubernetes["secret"] = Reference(secret);
        }

        kubernetes["serviceaccount"] = Reference(new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid));
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. claims.Audiences.Select(a => JsonValue.Create(a))]),
            ["exp"] = claims.Expiry.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = claims.Id,
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["sub"] = claims.Subject,
        };
        return Sign(payload);
    }

    /// <summary>
    /// A token for a <c>kubernetes.io/service-account-token</c> Secret, as kube's token controller writes one
    /// (<c>serviceaccount.LegacyClaims</c>): issued by <c>kubernetes/serviceaccount</c>, naming the namespace, the
    /// service account and the secret, with no audience and no expiry. It is valid while the secret holds it and the
    /// service account exists (<see cref="ServiceAccountAuthenticator"/>).
    /// </summary>
    public string IssueLegacy(LegacyTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Sign(new JsonObject
        {
            ["iss"] = LegacyIssuer,
            [LegacyNamespaceClaim] = claims.Namespace,
            [LegacySecretNameClaim] = claims.SecretName,
            [LegacyServiceAccountNameClaim] = claims.ServiceAccountName,
            [LegacyServiceAccountUidClaim] = claims.ServiceAccountUid,
            ["sub"] = ServiceAccountUser.Name(claims.Namespace, claims.ServiceAccountName),
        });
    }

    /// <summary>The token's claims, or null when it is not a token this server signed and would accept now for its own API.</summary>
    public ServiceAccountTokenClaims? Validate(string token) =>
        Verify(token) is { } claims && claims.Audiences.Intersect(ApiAudiences, StringComparer.Ordinal).Any() ? claims : null;

    /// <summary>
    /// The token's claims when this server signed it with kube's issuer and it is valid now, whatever audiences it
    /// names: those are for the caller to match with the audiences it serves (a TokenReview names its own).
    /// </summary>
    public ServiceAccountTokenClaims? Verify(string token) => Verified(token, Claims);

    /// <summary>
    /// The claims of a token this server signed for a service account token Secret (<see cref="IssueLegacy"/>), or null.
    /// As kube's legacy validator, every claim must be there and the subject must name the same service account.
    /// </summary>
    public LegacyTokenClaims? VerifyLegacy(string token) => Verified(token, LegacyClaims);

    private string Sign(JsonObject payload)
    {
        var signingInput = Base64Url.EncodeToString([.. Header, .. Encoding.UTF8.GetBytes(key.KeyId + "\"}")]) + "." +
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>What <paramref name="claims"/> reads from the payload of a token this server signed; null for any other token.</summary>
    private T? Verified<T>(string token, Func<JsonElement, T?> claims)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3 || !IsBase64Url(parts[0]) || !IsBase64Url(parts[1]) || !IsBase64Url(parts[2]))
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            // The claims are read first, unverified, so that a token of another issuer costs no signature check (as kube's
            // authenticators each look at the issuer first); nothing is returned before the signature holds.
            return Text(header.RootElement, "alg") == "ES256" && claims(payload.RootElement) is { } read &&
                key.Key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256)
                    ? read
                    : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static LegacyTokenClaims? LegacyClaims(JsonElement payload)
    {
        if (Text(payload, "iss") != LegacyIssuer)
        {
            return null;
        }

        var claims = new LegacyTokenClaims(
            Text(payload, LegacyNamespaceClaim) ?? "",
            Text(payload, LegacySecretNameClaim) ?? "",
            Text(payload, LegacyServiceAccountNameClaim) ?? "",
            Text(payload, LegacyServiceAccountUidClaim) ?? "");
        var complete = claims is { Namespace.Length: > 0, SecretName.Length: > 0, ServiceAccountName.Length: > 0, ServiceAccountUid.Length: > 0 };
        return complete && Text(payload, "sub") == ServiceAccountUser.Name(claims.Namespace, claims.ServiceAccountName) ? claims : null;
    }

    private ServiceAccountTokenClaims? Claims(JsonElement payload)
    {
        var now = time.GetUtcNow();
        var audiences = payload.GetProperty("aud") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
            : [payload.GetProperty("aud").GetString() ?? ""];
        var expiry = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64());
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("nbf").GetInt64());
        if (Text(payload, "iss") != Issuer || now > expiry + Leeway || now < notBefore - Leeway)
        {
            return null;
        }

        var kubernetes = payload.GetProperty("kubernetes.io");
        var serviceAccount = kubernetes.GetProperty("serviceaccount");
        return new ServiceAccountTokenClaims(
            kubernetes.GetProperty("namespace").GetString()!,
            serviceAccount.GetProperty("name").GetString()!,
            serviceAccount.GetProperty("uid").GetString()!,
            audiences,
            DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("iat").GetInt64()),
            expiry,
            Text(payload, "jti") ?? "")
        {
            Pod = Bound(kubernetes, "pod"),
            Node = Bound(kubernetes, "node"),
            Secret = Bound(kubernetes, "secret"),
        };
    }

    private static JsonObject Reference(BoundObject bound) => new() { ["name"] = bound.Name, ["uid"] = bound.Uid };

    private static BoundObject? Bound(JsonElement kubernetes, string property) =>
        kubernetes.TryGetProperty(property, out var bound)
            ? new BoundObject(bound.GetProperty("name").GetString()!, bound.GetProperty("uid").GetString()!)
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsBase64Url(string part) => part.Length > 0 && Base64Url.IsValid(part);
}
