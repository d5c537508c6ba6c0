using Gantry.Core.Volumes;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// The volume controller's <c>findBestMatchForClaim</c> (index.go): kube indexes volumes by their set of access modes and
/// looks through the sets that hold every mode the claim asks for, fewest modes first, so a claim takes a volume that
/// offers no more modes than it needs before a larger-moded one; within a set, <see cref="PersistentVolumeMatch.Find"/>
/// picks the volume pre-bound to the claim or the smallest that fits.
/// </summary>
public static class VolumeChoice
{
    public static V1PersistentVolume? BestFor(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, bool delayBinding)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volumes);
        var groups = volumes
            .Where(v => PersistentVolumeMatch.AccessModesFit(claim, v))
            .GroupBy(v => string.Join(",", (v.Spec?.AccessModes ?? []).Distinct().Order(StringComparer.Ordinal)), StringComparer.Ordinal)
            .OrderBy(g => g.Key.Length == 0 ? 0 : g.Key.Count(c => c == ',') + 1)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (PersistentVolumeMatch.Find(claim, group, fitsNode: null, delayBinding) is { } volume)
            {
                return volume;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>checkVolumeSatisfyClaim</c>: why a volume a claim names in <c>spec.volumeName</c> cannot be bound to it, or
    /// null when it can.
    /// </summary>
    public static string? Unsatisfied(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(claim);
        if (volume.Metadata?.DeletionTimestamp is not null)
        {
            return "the volume is marked for deletion";
        }

        if (PersistentVolumeMatch.Capacity(volume) < PersistentVolumeMatch.Requested(claim))
        {
            return "requested PV is too small";
        }

        if (PersistentVolumeMatch.ClassOf(volume) != PersistentVolumeMatch.ClassOf(claim))
        {
            return "storageClassName does not match";
        }

        if (VolumeModeMismatch(claim, volume))
        {
            return "incompatible volumeMode";
        }

        return PersistentVolumeMatch.AccessModesFit(claim, volume) ? null : "incompatible accessMode";
    }

    /// <summary><c>checkVolumeModeMismatches</c>: an unset mode is Filesystem on either side.</summary>
    public static bool VolumeModeMismatch(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volume);
        return ModeOf(claim.Spec?.VolumeMode) != ModeOf(volume.Spec?.VolumeMode);
    }

    private static string ModeOf(string? mode) => string.IsNullOrEmpty(mode) ? "Filesystem" : mode;
}
