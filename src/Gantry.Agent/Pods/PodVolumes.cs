using Gantry.Agent.Runtimes;
using Gantry.Core.Volumes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's volumes made to exist on the host, as kubelet 1.32 sets them up: under the volume root by pod uid
/// (emptyDir, on a tmpfs for medium Memory; configMap, secret, downwardAPI and projected, written by
/// <see cref="AtomicWriter"/>) or where they already are (hostPath, its type checked by <see cref="HostPathTypes"/>,
/// and persistentVolumeClaim, the hostPath or local PersistentVolume its claim is bound to, by
/// <see cref="ClaimedVolumes"/>); and a container's volume mounts as host paths, a subPath resolved by
/// <see cref="SubPaths"/>. Setting a volume up again changes nothing that is already right, so containers started
/// later, or by an agent restarted, share it. The pod's fsGroup is given to every volume but hostPath and a hostPath
/// PersistentVolume (<see cref="VolumeOwnership"/>): to an emptyDir and a writable local PersistentVolume once, when
/// the pod first sets it up, and to the others each time their files are written.
/// </summary>
public sealed class PodVolumes(VolumeObjects objects, string volumeRoot, TimeProvider time)
{
    /// <summary>emptyDir's directory is writable by every user, as kubelet makes it (0777).</summary>
    private const UnixFileMode EmptyDirMode = (UnixFileMode)0x1ff;

    private readonly VolumePayloads payloads = new(objects);

    private readonly ClaimedVolumes claims = new(objects);

    public PodVolumes(PodConfigSources sources, ServiceAccountTokenSource tokens, string volumeRoot)
        : this(VolumeObjects.From(sources, tokens), volumeRoot, TimeProvider.System)
    {
    }

    /// <summary>The container's volume mounts, each volume set up first.</summary>
    /// <exception cref="VolumeSetupException">A volume could not be set up, or a subPath is not one kubelet accepts.</exception>
    public async Task<List<ContainerMount>> MountsAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)
                ?? throw new VolumeSetupException(mount.Name, "volume is not defined in the pod");
            if (!string.IsNullOrEmpty(mount.SubPathExpr))
            {
                throw new VolumeSetupException(mount.Name, "subPathExpr is not supported by this agent; use subPath");
            }

            var volumePath = await SetUpAsync(pod, volume, cancellationToken).ConfigureAwait(false);
            var hostPath = string.IsNullOrEmpty(mount.SubPath) ? volumePath : SubPaths.Resolve(mount.Name, volumePath, mount.SubPath);

            // The kinds whose files the agent writes are read-only in every container, as kubelet mounts them since
            // CVE-2017-1002102: a container must not change what the next update would overwrite. A claim the pod's
            // volume reads only is mounted read-only in every container, as kubelet's volume plugin reports it.
            var readOnly = mount.ReadOnlyProperty == true || volume.ConfigMap is not null || volume.Secret is not null
                || volume.DownwardAPI is not null || volume.Projected is not null || volume.PersistentVolumeClaim?.ReadOnlyProperty == true;
            mounts.Add(new ContainerMount(hostPath, mount.MountPath, readOnly));
        }

        return mounts;
    }

    /// <summary>Whether the pod has volumes whose files the agent writes from API objects or from the pod itself.</summary>
    public static bool HasProjectedFiles(V1Pod pod) => (pod?.Spec.Volumes ?? []).Any(IsProjection);

    /// <summary>
    /// Writes the pod's configMap, secret, downwardAPI and projected volumes again from what they project now, as
    /// kubelet's periodic sync does, so that a changed key reaches the running containers (not through a subPath,
    /// whose file was bound when the container started). Only volumes already set up are written; returns whether
    /// any file changed.
    /// </summary>
    /// <exception cref="VolumeSetupException">What a volume projects is missing; its files are left as they were.</exception>
    public async Task<bool> RefreshAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var changed = false;
        foreach (var volume in (pod.Spec.Volumes ?? []).Where(IsProjection))
        {
            var dir = Path.Combine(volumeRoot, pod.Uid(), volume.Name);
            if (Directory.Exists(dir) && await payloads.OfAsync(pod, volume, cancellationToken).ConfigureAwait(false) is { } payload)
            {
                changed |= new AtomicWriter(volume.Name, dir, time, ProjectionOwnership(pod)).Write(payload);
            }
        }

        return changed;
    }

    /// <summary>The directory of the pod's own files (volumes and the like), created.</summary>
    public string PodDirectory(V1Pod pod)
    {
        var dir = Path.Combine(volumeRoot, pod.Uid());
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes what the pod's volumes left under the volume root, its tmpfs mounts detached first.</summary>
    /// <exception cref="IOException">A mount below the pod's directory could not be detached; nothing was deleted.</exception>
    public void Remove(string podUid)
    {
        var dir = Path.Combine(volumeRoot, podUid);
        if (Directory.Exists(dir))
        {
            MemoryMedium.UnmountBelow(dir);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Makes a volume exist on the host and returns its path.</summary>
    private async Task<string> SetUpAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        if (volume.HostPath is { } hostPath)
        {
            HostPathTypes.Check(volume.Name, hostPath.Path, hostPath.Type);
            return hostPath.Path;
        }

        var dir = Path.Combine(PodDirectory(pod), volume.Name);
        if (volume.PersistentVolumeClaim is { } claim)
        {
            return await SetUpClaimAsync(pod, volume.Name, claim, dir, cancellationToken).ConfigureAwait(false);
        }

        if (volume.Ephemeral is not null)
        {
            // A generic ephemeral volume is the claim made for it, mounted as any claim is.
            var source = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimUse.ClaimNameOf(pod, volume) };
            return await SetUpClaimAsync(pod, volume.Name, source, dir, cancellationToken).ConfigureAwait(false);
        }

        if (volume.EmptyDir is { } emptyDir)
        {
            if (SetUpEmptyDir(volume.Name, dir, emptyDir))
            {
                VolumeOwnership.Of(pod, readOnly: false)?.Apply(volume.Name, dir);
            }

            return dir;
        }

        var payload = await payloads.OfAsync(pod, volume, cancellationToken).ConfigureAwait(false)
            ?? throw new VolumeSetupException(volume.Name, "only emptyDir, hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim and ephemeral volumes are supported");
        Directory.CreateDirectory(dir);
        new AtomicWriter(volume.Name, dir, time, ProjectionOwnership(pod)).Write(payload);
        return dir;
    }

    /// <summary>
    /// The claim's PersistentVolume, where it is. Kubelet's local plugin gives a writable volume to the fsGroup when it
    /// first mounts it; the pod's own directory of the volume's name, empty, records that this pod has.
    /// </summary>
    private async Task<string> SetUpClaimAsync(V1Pod pod, string volume, V1PersistentVolumeClaimVolumeSource claim, string dir, CancellationToken cancellationToken)
    {
        var (name, path, local) = await claims.SetUpAsync(pod, volume, claim, cancellationToken).ConfigureAwait(false);
        if (local && claim.ReadOnlyProperty != true && !Directory.Exists(dir))
        {
            VolumeOwnership.Of(pod, readOnly: false)?.ApplyUnlessRootMatches(name, path, pod.Spec.SecurityContext?.FsGroupChangePolicy);
            Directory.CreateDirectory(dir);
        }

        return path;
    }

    private static bool IsProjection(V1Volume volume) =>
        volume.ConfigMap is not null || volume.Secret is not null || volume.DownwardAPI is not null || volume.Projected is not null;

    /// <summary>Kubelet's plugins for the volumes it writes count them read-only: their files gain the group's read bit, not write.</summary>
    private static VolumeOwnership? ProjectionOwnership(V1Pod pod) => VolumeOwnership.Of(pod, readOnly: true);

    /// <summary>
    /// On the disk, or a tmpfs of at most sizeLimit for medium Memory (a disk one's sizeLimit is not enforced). Whether
    /// it was made now: kubelet gives an emptyDir to the fsGroup only then, so the modes a container later sets stay.
    /// </summary>
    private static bool SetUpEmptyDir(string volume, string dir, V1EmptyDirVolumeSource emptyDir)
    {
        var made = !Directory.Exists(dir);
        Directory.CreateDirectory(dir);
        switch (emptyDir.Medium ?? "")
        {
            case "":
                break;
            case "Memory":
                try
                {
                    made |= MemoryMedium.Mount(dir, emptyDir.SizeLimit?.ToInt64() is > 0 and var size ? size : null);
                }
                catch (IOException ex)
                {
                    throw new VolumeSetupException(volume, ex.Message);
                }

                break;
            default:
                throw new VolumeSetupException(volume, $"emptyDir medium {emptyDir.Medium} is not supported; use \"\" or Memory");
        }

        if ((File.GetUnixFileMode(dir) & EmptyDirMode) != EmptyDirMode)
        {
            File.SetUnixFileMode(dir, EmptyDirMode);
        }

        return made;
    }
}
