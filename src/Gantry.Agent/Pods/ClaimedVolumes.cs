using System.Text.Json.Nodes;
using Gantry.Agent.Images;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's persistentVolumeClaim volume, resolved as kubelet's volume manager resolves it (its desired state
/// populator: the claim exists, is not being deleted, is Bound and names its volume, whose claimRef points back at
/// the claim) and its source made ready as kubelet's hostPath and local plugins make it: either is a path on the host
/// that the container bind-mounts. A failed mount names the PersistentVolume, as kubelet's mount operation does; a
/// claim that cannot be resolved yet names the pod's volume, among those the pod's wait failed to process.
/// </summary>
internal sealed class ClaimedVolumes(VolumeObjects objects)
{
    /// <summary>
    /// A directory a hostPath PersistentVolume creates is writable by every user: rancher's local-path-provisioner
    /// makes a provisioned volume's so (mkdir -m 0777), and the agent stands in for its setup helper pod.
    /// </summary>
    private const UnixFileMode CreatedDirectoryMode = (UnixFileMode)0x1ff;

    /// <summary>The spec's fields that are not its source: whatever else it sets names the source.</summary>
    private static readonly HashSet<string> NotSources = new(StringComparer.Ordinal)
    {
        "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy",
        "storageClassName", "volumeAttributesClassName", "volumeMode",
    };

    /// <summary>
    /// The PersistentVolume's name, its path on the host, and whether it is a <c>local</c> one (kubelet's local plugin
    /// gives a volume to the pod's fsGroup; its hostPath plugin does not manage ownership).
    /// </summary>
    /// <exception cref="VolumeSetupException">The claim is not bound yet, or the volume's source is not ready or not supported.</exception>
    public async Task<(string Name, string Path, bool Local)> SetUpAsync(
        V1Pod pod, string volume, V1PersistentVolumeClaimVolumeSource source, CancellationToken cancellationToken)
    {
        var claim = await BoundClaimAsync(pod, volume, source.ClaimName, cancellationToken).ConfigureAwait(false);
        var persistentVolume = await BoundVolumeAsync(pod, volume, claim, cancellationToken).ConfigureAwait(false);
        var name = persistentVolume.Name();
        var spec = persistentVolume.Spec;
        if (spec.VolumeMode == "Block")
        {
            throw NotProcessed(pod, volume, source.ClaimName, $"volume {volume} has volumeMode Block, but is specified in volumeMounts");
        }

        if (spec.HostPath is { } hostPath)
        {
            HostPathTypes.Check(name, hostPath.Path, hostPath.Type, CreatedDirectoryMode);
            return (name, hostPath.Path, false);
        }

        if (spec.Local is { } local)
        {
            CheckLocal(name, local.Path);
            return (name, local.Path, true);
        }

        throw new VolumeSetupException(name, $"{SourceOf(spec)} PersistentVolumes are not supported by this agent; only hostPath and local are");
    }

    private async Task<V1PersistentVolumeClaim> BoundClaimAsync(V1Pod pod, string volume, string name, CancellationToken cancellationToken)
    {
        var claim = await objects.ClaimAsync(pod, name, cancellationToken).ConfigureAwait(false)
            ?? throw NotProcessed(pod, volume, name, $"failed to fetch PVC from API server: persistentvolumeclaims \"{name}\" not found");
        if (claim.Metadata.DeletionTimestamp is not null)
        {
            throw NotProcessed(pod, volume, name, "PVC is being deleted");
        }

        if (claim.Status?.Phase != "Bound")
        {
            throw NotProcessed(pod, volume, name, "PVC is not bound");
        }

        return string.IsNullOrEmpty(claim.Spec?.VolumeName) ? throw NotProcessed(pod, volume, name, "PVC has empty pvc.Spec.VolumeName") : claim;
    }

    private async Task<V1PersistentVolume> BoundVolumeAsync(V1Pod pod, string volume, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var name = claim.Spec.VolumeName;
        var persistentVolume = await objects.PersistentVolumeAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotProcessed(pod, volume, claim.Name(), $"failed to fetch PV {name} from API server: persistentvolumes \"{name}\" not found");
        if (persistentVolume.Spec?.ClaimRef is not { } claimRef)
        {
            throw NotProcessed(pod, volume, claim.Name(), $"found PV object {name} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
        }

        return claimRef.Uid == claim.Uid() ? persistentVolume
            : throw NotProcessed(pod, volume, claim.Name(), $"found PV object {name} but its pv.Spec.ClaimRef.UID {claimRef.Uid} does not point to claim.UID {claim.Uid()}");
    }

    /// <summary>
    /// Kubelet's local plugin finds the volume's mount path from the type of what is there (GetDeviceMountPath), before
    /// it mounts anything: a directory, or a block device this agent does not format and mount.
    /// </summary>
    private static void CheckLocal(string volume, string path)
    {
        const string Operation = "MountVolume.GetDeviceMountPath";
        if (Directory.Exists(path))
        {
            return;
        }

        if (!Path.Exists(path))
        {
            throw new VolumeSetupException(volume, $"path \"{path}\" does not exist", Operation);
        }

        throw new VolumeSetupException(volume, HostPathTypes.TypeOf(path) == ImageSyscalls.BlockDeviceType
            ? "a local volume on a block device is not supported by this agent; use a directory"
            : "only directory and block device are supported", Operation);
    }

    private static string SourceOf(V1PersistentVolumeSpec spec) =>
        JsonNode.Parse(KubernetesJson.Serialize(spec))?.AsObject().Select(p => p.Key).FirstOrDefault(key => !NotSources.Contains(key)) ?? "sourceless";

    private static VolumeSetupException NotProcessed(V1Pod pod, string volume, string claim, string problem) =>
        VolumeSetupException.NotProcessed(volume, $"error processing PVC {pod.Namespace()}/{claim}: {problem}");
}
