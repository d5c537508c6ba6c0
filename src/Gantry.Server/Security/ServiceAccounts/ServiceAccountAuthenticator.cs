using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Storage;

namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// Authenticates a bearer token that <see cref="ServiceAccountTokens"/> signed, as kube's service account token
/// authenticator does for bound tokens: the service account it names must still exist with the same uid, and so must
/// the pod it is bound to, unless that pod's deletion is under way; the user is the service account's.
/// </summary>
public sealed class ServiceAccountAuthenticator(ServiceAccountTokens tokens, WatchCache cache, TimeProvider time)
{
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

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
            return TokenAuthenticationResult.Refused;
        }

        var matched = claims.Audiences.Intersect(audiences, StringComparer.Ordinal).ToList();
        if (matched.Count == 0)
        {
            return TokenAuthenticationResult.Refusal($"token audiences {GoStrings(claims.Audiences)} is invalid for the target audiences {GoStrings(audiences)}");
        }

        if (!Exists(ServiceAccounts, claims.Namespace, new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid), deletionEnds: false) ||
            (claims.Pod is { } pod && !Exists(Pods, claims.Namespace, pod, deletionEnds: true)))
        {
            return TokenAuthenticationResult.Refused;
        }

        return new TokenAuthenticationResult(ServiceAccountUser.Of(claims), matched)
        {
            Uid = claims.ServiceAccountUid,
            Extra = ServiceAccountUser.Extra(claims),
        };
    }

    /// <summary>A list of strings as Go's <c>%q</c> prints it: <c>["a" "b"]</c>.</summary>
    private static string GoStrings(IEnumerable<string> values) => "[" + string.Join(' ', values.Select(GoValue.Quote)) + "]";

    private bool Exists(ResourceType type, string ns, BoundObject bound, bool deletionEnds)
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
