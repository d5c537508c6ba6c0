using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The config maps and secrets a pod's environment and volumes read, and the claims and PersistentVolumes its volumes
/// mount, fetched from the API server.
/// </summary>
public sealed class PodConfigSources(IKubernetes client)
{
    /// <summary>The config map, or null when the API server has none of that name in the pod's namespace.</summary>
    public Task<V1ConfigMap?> ConfigMapAsync(V1Pod pod, string name, CancellationToken cancellationToken) =>
        OrNullWhenMissing(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, pod.Namespace(), cancellationToken: cancellationToken));

    /// <summary>The secret, or null when the API server has none of that name in the pod's namespace.</summary>
    public Task<V1Secret?> SecretAsync(V1Pod pod, string name, CancellationToken cancellationToken) =>
        OrNullWhenMissing(() => client.CoreV1.ReadNamespacedSecretAsync(name, pod.Namespace(), cancellationToken: cancellationToken));

    /// <summary>The claim, or null when the API server has none of that name in the pod's namespace.</summary>
    public Task<V1PersistentVolumeClaim?> ClaimAsync(V1Pod pod, string name, CancellationToken cancellationToken) =>
        OrNullWhenMissing(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, pod.Namespace(), cancellationToken: cancellationToken));

    /// <summary>The PersistentVolume, or null when the API server has none of that name.</summary>
    public Task<V1PersistentVolume?> PersistentVolumeAsync(string name, CancellationToken cancellationToken) =>
        OrNullWhenMissing(() => client.CoreV1.ReadPersistentVolumeAsync(name, cancellationToken: cancellationToken));

    private static async Task<T?> OrNullWhenMissing<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
