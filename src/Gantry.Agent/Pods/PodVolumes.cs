using System.Text;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's volumes made to exist on the host, under the volume root by pod uid (emptyDir, configMap, secret) or where
/// they already are (hostPath), and a container's volume mounts as host paths.
/// </summary>
public sealed class PodVolumes(PodConfigSources sources, string volumeRoot)
{
    /// <summary>The container's volume mounts, each volume set up first.</summary>
    /// <exception cref="VolumeSetupException">A volume could not be set up.</exception>
    public async Task<List<ContainerMount>> MountsAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)
                ?? throw new VolumeSetupException(mount.Name, "volume is not defined in the pod");
            var hostPath = await SetUpAsync(pod, volume, cancellationToken).ConfigureAwait(false);
            mounts.Add(new ContainerMount(hostPath, mount.MountPath, mount.ReadOnlyProperty == true));
        }

        return mounts;
    }

    /// <summary>The directory of the pod's own files (volumes and the like), created.</summary>
    public string PodDirectory(V1Pod pod)
    {
        var dir = Path.Combine(volumeRoot, pod.Uid());
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes what the pod's volumes left under the volume root.</summary>
    public void Remove(string podUid)
    {
        var dir = Path.Combine(volumeRoot, podUid);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Makes a volume exist on the host and returns its path.</summary>
    private async Task<string> SetUpAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        if (volume.HostPath is { } hostPath)
        {
            if (hostPath.Type is "DirectoryOrCreate")
            {
                Directory.CreateDirectory(hostPath.Path);
            }

            return hostPath.Path;
        }

        var dir = Path.Combine(PodDirectory(pod), volume.Name);
        Directory.CreateDirectory(dir);
        if (volume.ConfigMap is { } configMap)
        {
            var map = await sources.ConfigMapAsync(pod, configMap.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new VolumeSetupException(volume.Name, $"configmap \"{configMap.Name}\" not found");
            await WriteAllAsync(dir, (map.Data ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value)), cancellationToken)
                .ConfigureAwait(false);
        }
        else if (volume.Secret is { } secret)
        {
            var s = await sources.SecretAsync(pod, secret.SecretName, cancellationToken).ConfigureAwait(false)
                ?? throw new VolumeSetupException(volume.Name, $"secret \"{secret.SecretName}\" not found");
            await WriteAllAsync(dir, s.Data ?? new Dictionary<string, byte[]>(), cancellationToken).ConfigureAwait(false);
        }
        else if (volume.EmptyDir is null)
        {
            throw new VolumeSetupException(volume.Name, "only emptyDir, hostPath, configMap and secret volumes are supported");
        }

        return dir;
    }

    private static async Task WriteAllAsync(string dir, IDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, key), value, cancellationToken).ConfigureAwait(false);
        }
    }
}
