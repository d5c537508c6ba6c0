using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// Where a pod's volumes read the config maps and secrets they project: the API server through
/// <see cref="PodConfigSources"/>, or objects held in memory where a test names them. Each yields null when the
/// object does not exist.
/// </summary>
public sealed record VolumeObjects(
    Func<V1Pod, string, CancellationToken, Task<V1ConfigMap?>> ConfigMapAsync,
    Func<V1Pod, string, CancellationToken, Task<V1Secret?>> SecretAsync)
{
    public static VolumeObjects From(PodConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new VolumeObjects(sources.ConfigMapAsync, sources.SecretAsync);
    }
}
