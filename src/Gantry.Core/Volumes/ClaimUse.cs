using k8s.Models;

namespace Gantry.Core.Volumes;

/// <summary>
/// Which claims a pod uses: those its <c>persistentVolumeClaim</c> volumes name, and for each generic ephemeral volume
/// the claim made for it, named after the pod and the volume (kube's <c>ephemeral.VolumeClaimName</c>).
/// </summary>
public static class ClaimUse
{
    /// <summary>The claim <paramref name="volume"/> of <paramref name="pod"/> mounts, or null for a volume of another kind.</summary>
    public static string? ClaimNameOf(V1Pod pod, V1Volume volume)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(volume);
        return volume.PersistentVolumeClaim?.ClaimName ?? (volume.Ephemeral is not null ? $"{pod.Metadata?.Name}-{volume.Name}" : null);
    }

    /// <summary>kube's <c>ephemeral.VolumeIsForPod</c>: the claim of an ephemeral volume must be the pod's own.</summary>
    public static bool IsForPod(V1Pod pod, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Metadata?.OwnerReferences?.Any(r => r.Controller == true && r.Uid == pod.Metadata?.Uid) == true;
    }

    public static bool Names(V1Pod pod, string claimName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.Volumes?.Any(v => ClaimNameOf(pod, v) == claimName) == true;
    }

    public static IEnumerable<string> ClaimsOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.Volumes ?? []).Select(v => ClaimNameOf(pod, v)).OfType<string>().Distinct(StringComparer.Ordinal);
    }
}
