using Gantry.Core.Volumes;
using Gantry.Server.Controllers;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// The decisions of kube's pvc-protection and pv-protection controllers: every live claim and volume carries its
/// protection finalizer; a claim being deleted keeps it while a pod that has not ended uses it, a volume being deleted
/// while it is Bound.
/// </summary>
public static class ProtectionFinalizers
{
    /// <summary>What the controller writes: the finalizer added, removed, or nothing.</summary>
    public enum Change
    {
        None,
        Add,
        Remove,
    }

    public static Change ForClaim(V1PersistentVolumeClaim claim, IEnumerable<V1Pod> podsInNamespace)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(podsInNamespace);
        var held = claim.Metadata?.Finalizers?.Contains(VolumeAnnotations.ClaimProtection) == true;
        if (claim.Metadata?.DeletionTimestamp is null)
        {
            return held ? Change.None : Change.Add;
        }

        return held && !podsInNamespace.Any(pod => UsesClaim(pod, claim.Metadata.Name)) ? Change.Remove : Change.None;
    }

    public static Change ForVolume(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var held = volume.Metadata?.Finalizers?.Contains(VolumeAnnotations.VolumeProtection) == true;
        if (volume.Metadata?.DeletionTimestamp is null)
        {
            return held ? Change.None : Change.Add;
        }

        return held && volume.Status?.Phase != VolumeSync.Bound ? Change.Remove : Change.None;
    }

    /// <summary>
    /// <c>podUsesPVC</c>: a pod on a node (kubelet refuses to start one whose claim is being deleted, so an unscheduled
    /// pod holds nothing) that names the claim, and has neither ended nor been shut down (<c>podIsShutDown</c>: deleted
    /// with no grace left, so only waiting to be collected).
    /// </summary>
    public static bool UsesClaim(V1Pod pod, string claimName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var shutDown = pod.Metadata?.DeletionTimestamp is not null && pod.Metadata.DeletionGracePeriodSeconds == 0;
        return !string.IsNullOrEmpty(pod.Spec?.NodeName) && !PodState.IsTerminal(pod) && !shutDown && ClaimUse.Names(pod, claimName);
    }
}
