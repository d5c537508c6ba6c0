using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// Where a pod's volumes read the config maps and secrets they project, the claims and PersistentVolumes they mount,
/// and the service account tokens: the API server through <see cref="PodConfigSources"/> and
/// <see cref="ServiceAccountTokenSource"/>, or objects held in memory where a test names them. Each object yields null
/// when it does not exist; with no token source, a token projection fails.
/// </summary>
public sealed record VolumeObjects(
    Func<V1Pod, string, CancellationToken, Task<V1ConfigMap?>> ConfigMapAsync,
    Func<V1Pod, string, CancellationToken, Task<V1Secret?>> SecretAsync,
    Func<V1Pod, string, CancellationToken, Task<V1PersistentVolumeClaim?>> ClaimAsync,
    Func<string, CancellationToken, Task<V1PersistentVolume?>> PersistentVolumeAsync,
    Func<V1Pod, V1ServiceAccountTokenProjection, CancellationToken, Task<string>>? TokenAsync = null)
{
    public static VolumeObjects From(PodConfigSources sources, ServiceAccountTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(tokens);
        return new VolumeObjects(sources.ConfigMapAsync, sources.SecretAsync, sources.ClaimAsync, sources.PersistentVolumeAsync, tokens.TokenAsync);
    }
}
