using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Core.Volumes;

/// <summary>
/// Which PersistentVolume a claim may be bound to, as kube's <c>FindMatchingVolume</c> (component-helpers/storage/volume)
/// decides it for both the volume controller and the scheduler: the volume pre-bound to the claim if there is one,
/// else the smallest Available one of the claim's class that is large enough, of its volume mode and access modes, and
/// matching its selector.
/// </summary>
public static class PersistentVolumeMatch
{
    public const string Storage = "storage";

    /// <summary>
    /// <paramref name="fitsNode"/> is the scheduler's check of a volume's node affinity against the node it considers
    /// (null on the controller's path, where a claim whose class waits for its first consumer is not bound to a volume
    /// that was not pre-bound to it: <paramref name="delayBinding"/>).
    /// </summary>
    public static V1PersistentVolume? Find(
        V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, Func<V1PersistentVolume, bool>? fitsNode, bool delayBinding,
        Func<V1PersistentVolume, bool>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volumes);
        var requested = Requested(claim);
        var requestedClass = ClassOf(claim);
        var selector = claim.Spec?.Selector is { } s ? LabelSelector.FromModel(s) : null;
        V1PersistentVolume? smallest = null;
        decimal smallestSize = 0;
        foreach (var volume in volumes)
        {
            if (excluded?.Invoke(volume) == true || (volume.Spec?.ClaimRef is not null && !IsBoundTo(volume, claim)))
            {
                continue;
            }

            var size = Capacity(volume);
            if (size < requested || VolumeModeOf(claim.Spec?.VolumeMode) != VolumeModeOf(volume.Spec?.VolumeMode)
                || volume.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            var nodeFits = fitsNode?.Invoke(volume) ?? true;
            if (IsBoundTo(volume, claim))
            {
                // A volume pre-bound to the claim that does not suit the node makes the claim unsuitable for it.
                return nodeFits ? volume : null;
            }

            if ((fitsNode is null && delayBinding) || volume.Status?.Phase != "Available"
                || (selector is not null && !selector.Matches(volume.Metadata))
                || ClassOf(volume) != requestedClass || !nodeFits
                || (fitsNode is not null && !AccessModesFit(claim, volume)))
            {
                continue;
            }

            if (smallest is null || smallestSize > size)
            {
                smallest = volume;
                smallestSize = size;
            }
        }

        return smallest;
    }

    /// <summary>kube's IsVolumeBoundToClaim: the volume's claimRef names the claim, and its uid if it has one.</summary>
    public static bool IsBoundTo(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(claim);
        var reference = volume.Spec?.ClaimRef;
        return reference is not null && reference.Name == claim.Metadata?.Name && reference.NamespaceProperty == claim.Metadata?.NamespaceProperty
            && (string.IsNullOrEmpty(reference.Uid) || reference.Uid == claim.Metadata?.Uid);
    }

    /// <summary>Every access mode the claim asks for is one the volume offers.</summary>
    public static bool AccessModesFit(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volume);
        var offered = volume.Spec?.AccessModes ?? [];
        return (claim.Spec?.AccessModes ?? []).All(offered.Contains);
    }

    /// <summary>The claim's class: <c>spec.storageClassName</c>, or the beta annotation older claims carry.</summary>
    public static string ClassOf(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Metadata?.Annotations?.TryGetValue("volume.beta.kubernetes.io/storage-class", out var beta) == true
            ? beta
            : claim.Spec?.StorageClassName ?? "";
    }

    public static string ClassOf(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Metadata?.Annotations?.TryGetValue("volume.beta.kubernetes.io/storage-class", out var beta) == true
            ? beta
            : volume.Spec?.StorageClassName ?? "";
    }

    public static decimal Requested(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Spec?.Resources?.Requests?.TryGetValue(Storage, out var quantity) == true ? quantity.ToDecimal() : 0;
    }

    public static decimal Capacity(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Spec?.Capacity?.TryGetValue(Storage, out var quantity) == true ? quantity.ToDecimal() : 0;
    }

    private static string VolumeModeOf(string? mode) => string.IsNullOrEmpty(mode) ? "Filesystem" : mode;
}
