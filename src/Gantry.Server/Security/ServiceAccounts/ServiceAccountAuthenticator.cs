using System.Text.Json;
using Gantry.Core.Resources;
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

    public RequestUser? Authenticate(string token)
    {
        if (tokens.Validate(token) is not { } claims ||
            !Exists(ServiceAccounts, claims.Namespace, new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid), deletionEnds: false) ||
            (claims.Pod is { } pod && !Exists(Pods, claims.Namespace, pod, deletionEnds: true)))
        {
            return null;
        }

        return ServiceAccountUser.Of(claims);
    }

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
