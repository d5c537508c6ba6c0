using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// kube's <c>reclaimVolume</c> choice, with Gantry's local-path provisioner as the only volume plugin: it deletes what it
/// provisioned; a volume another (external) provisioner made is left to it, as kube leaves it; any other volume has no
/// plugin to delete or recycle it, which kube reports in these words.
/// </summary>
public static class Reclaim
{
    public static ReclaimStep Decide(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        switch (volume.Spec?.PersistentVolumeReclaimPolicy)
        {
            case "Retain":
                return new ReclaimStep.Keep();
            case "Recycle":
                return new ReclaimStep.Fail(VolumeEvent.Warning("VolumeFailedRecycle", "No recycler plugin found for the volume!"));
            case "Delete":
                var provisioner = VolumeAnnotations.Get(volume.Metadata, VolumeAnnotations.ProvisionedBy);
                if (provisioner == VolumeAnnotations.LocalPathProvisioner)
                {
                    return new ReclaimStep.DeleteLocalPath();
                }

                // findDeletablePlugin: an external provisioner's volume is its own to delete.
                if (!string.IsNullOrEmpty(provisioner) && !provisioner.StartsWith("kubernetes.io/", StringComparison.Ordinal))
                {
                    return new ReclaimStep.Keep();
                }

                return new ReclaimStep.Fail(VolumeEvent.Warning(
                    "VolumeFailedDelete", $"error getting deleter volume plugin for volume \"{volume.Metadata?.Name}\": no deletable volume plugin matched"));
            default:
                return new ReclaimStep.Fail(VolumeEvent.Warning("VolumeUnknownReclaimPolicy", "Volume has unrecognized PersistentVolumeReclaimPolicy"));
        }
    }
}
