using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>kube's <c>syncVolume</c> decision (pv_controller.go), with no I/O.</summary>
public static class VolumeSync
{
    public const string Available = "Available";
    public const string Bound = "Bound";
    public const string Released = "Released";
    public const string Failed = "Failed";

    /// <param name="volume">The volume as the informer holds it.</param>
    /// <param name="claim">The claim its <c>claimRef</c> names, looked up by namespace and name; null when there is none.</param>
    public static VolumeStep Decide(V1PersistentVolume volume, V1PersistentVolumeClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var reference = volume.Spec?.ClaimRef;
        if (reference is null || string.IsNullOrEmpty(reference.Uid))
        {
            // Unused, or only pre-bound to a claim whose sync will bind it.
            return new VolumeStep.SetPhase(Available);
        }

        if (claim is null || claim.Metadata?.Uid != reference.Uid)
        {
            // The claim was deleted (and perhaps another made with its name).
            return new VolumeStep.Release();
        }

        var claimVolume = claim.Spec?.VolumeName;
        if (string.IsNullOrEmpty(claimVolume))
        {
            return VolumeChoice.VolumeModeMismatch(claim, volume)
                ? new VolumeStep.SyncClaim(
                    VolumeEvent.Warning("VolumeMismatch", $"Cannot bind PersistentVolume to requested PersistentVolumeClaim \"{claim.Metadata.Name}\" due to incompatible volumeMode."),
                    VolumeEvent.Warning("VolumeMismatch", $"Cannot bind PersistentVolume \"{volume.Metadata.Name}\" to requested PersistentVolumeClaim due to incompatible volumeMode."))
                : new VolumeStep.SyncClaim(null, null);
        }

        if (claimVolume == volume.Metadata?.Name)
        {
            return new VolumeStep.SetPhase(Bound);
        }

        // The claim is bound to another volume: one provisioned for it and to be deleted is released; else unbound.
        return VolumeAnnotations.Has(volume.Metadata, VolumeAnnotations.ProvisionedBy) && volume.Spec?.PersistentVolumeReclaimPolicy == "Delete"
            ? new VolumeStep.Release()
            : new VolumeStep.Unbind();
    }

    /// <summary>
    /// <c>isVolumeReleased</c>, asked again just before a volume is deleted: its claim is gone, or bound to another volume.
    /// </summary>
    public static bool IsReleased(V1PersistentVolume volume, V1PersistentVolumeClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var reference = volume.Spec?.ClaimRef;
        if (reference is null || string.IsNullOrEmpty(reference.Uid))
        {
            return false;
        }

        return claim is null || claim.Metadata?.Uid != reference.Uid
            || (!string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Spec.VolumeName != volume.Metadata?.Name);
    }
}
