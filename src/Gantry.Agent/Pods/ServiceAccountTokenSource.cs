using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The tokens of pods' <c>serviceAccountToken</c> projections, as kubelet's token manager gets them: a TokenRequest
/// for the pod's service account, bound to the pod, kept and handed out again until it is older than 80 % of its
/// lifetime or than a day, then asked for anew. Tokens past their expiry are forgotten.
/// </summary>
public sealed class ServiceAccountTokenSource(IKubernetes client, TimeProvider time)
{
    /// <summary>kubelet's default when a projection names no lifetime.</summary>
    private const long DefaultExpirationSeconds = 3600;

    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, HeldToken> _tokens = new(StringComparer.Ordinal);

    public async Task<string> TokenAsync(V1Pod pod, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(projection);
        var account = string.IsNullOrEmpty(pod.Spec.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName;
        var expirationSeconds = projection.ExpirationSeconds ?? DefaultExpirationSeconds;
        var key = $"{pod.Namespace()}/{account}/{pod.Uid()}/{projection.Audience}/{expirationSeconds}";
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var held) && !held.NeedsRefresh(now))
        {
            return held.Token;
        }

        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = string.IsNullOrEmpty(projection.Audience) ? [] : [projection.Audience],
                ExpirationSeconds = expirationSeconds,
                BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name(), Uid = pod.Uid() },
            },
        };
        var issued = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, account, pod.Namespace(), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var expiry = issued.Status.ExpirationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now.AddSeconds(expirationSeconds);
        foreach (var (stale, token) in _tokens)
        {
            if (token.Expiry <= now)
            {
                _tokens.TryRemove(stale, out _);
            }
        }

        _tokens[key] = new HeldToken(issued.Status.Token, now, expiry);
        return issued.Status.Token;
    }

    private sealed record HeldToken(string Token, DateTimeOffset Issued, DateTimeOffset Expiry)
    {
        public bool NeedsRefresh(DateTimeOffset now) => now >= Issued + ((Expiry - Issued) * 0.8) || now - Issued > MaxAge;
    }
}
