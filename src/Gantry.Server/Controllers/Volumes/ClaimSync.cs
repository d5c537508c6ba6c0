using Gantry.Core.Volumes;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// kube's <c>syncClaim</c> decision (pv_controller.go), with no I/O: a claim without
/// <c>pv.kubernetes.io/bind-completed</c> is bound to the volume it names or the best one that fits, waits for its first
/// consumer, or is provisioned; a bound claim is checked against its volume.
/// </summary>
public static class ClaimSync
{
    public const string WaitForFirstConsumer = "WaitForFirstConsumer";

    /// <param name="claim">The claim as the informer holds it.</param>
    /// <param name="volumes">Every volume the informer holds.</param>
    /// <param name="storageClass">The claim's class, or null when it names none or the class does not exist.</param>
    /// <param name="unscheduledPods">The names of the pods not yet scheduled, nor ended, that use the claim.</param>
    public static ClaimStep Decide(
        V1PersistentVolumeClaim claim, IReadOnlyCollection<V1PersistentVolume> volumes, V1StorageClass? storageClass, IReadOnlyList<string> unscheduledPods)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(unscheduledPods);
        return VolumeAnnotations.Has(claim.Metadata, VolumeAnnotations.BindCompleted)
            ? Bound(claim, volumes)
            : Unbound(claim, volumes, storageClass, unscheduledPods);
    }

    /// <summary><c>IsDelayBindingMode</c>: the claim's class exists and binds only once a pod using the claim is scheduled.</summary>
    public static bool DelaysBinding(V1StorageClass? storageClass) => storageClass?.VolumeBindingMode == WaitForFirstConsumer;

    private static ClaimStep Unbound(
        V1PersistentVolumeClaim claim, IReadOnlyCollection<V1PersistentVolume> volumes, V1StorageClass? storageClass, IReadOnlyList<string> unscheduledPods)
    {
        var volumeName = claim.Spec?.VolumeName;
        if (string.IsNullOrEmpty(volumeName))
        {
            var delayBinding = DelaysBinding(storageClass);
            if (VolumeChoice.BestFor(claim, volumes, delayBinding) is { } best)
            {
                return new ClaimStep.Bind(best);
            }

            if (delayBinding && !VolumeAnnotations.Has(claim.Metadata, VolumeAnnotations.SelectedNode))
            {
                return new ClaimStep.Pending(WaitingEvent(unscheduledPods));
            }

            if (PersistentVolumeMatch.ClassOf(claim).Length > 0)
            {
                return new ClaimStep.Provision();
            }

            return new ClaimStep.Pending(VolumeEvent.Normal("FailedBinding", "no persistent volumes available for this claim and no storage class is set"));
        }

        if (volumes.FirstOrDefault(v => v.Metadata?.Name == volumeName) is not { } volume)
        {
            // The volume it asks for may yet be created: look again at the next sync.
            return new ClaimStep.Pending(null);
        }

        if (volume.Spec?.ClaimRef is null)
        {
            return VolumeChoice.Unsatisfied(volume, claim) is { } why
                ? new ClaimStep.Pending(VolumeEvent.Warning("VolumeMismatch", $"Cannot bind to requested volume \"{volume.Metadata.Name}\": {why}"))
                : new ClaimStep.Bind(volume);
        }

        // Already bound to the claim (finish the binding), or to another claim: kube waits for the user to free it.
        if (PersistentVolumeMatch.IsBoundTo(volume, claim))
        {
            return new ClaimStep.Bind(volume);
        }

        return new ClaimStep.Pending(VolumeAnnotations.Get(claim.Metadata, VolumeAnnotations.BoundByController) is null
            ? VolumeEvent.Warning("FailedBinding", $"volume \"{volume.Metadata.Name}\" already bound to a different claim.")
            : null);
    }

    private static ClaimStep Bound(V1PersistentVolumeClaim claim, IReadOnlyCollection<V1PersistentVolume> volumes)
    {
        var volumeName = claim.Spec?.VolumeName;
        if (string.IsNullOrEmpty(volumeName))
        {
            return new ClaimStep.Lost(VolumeEvent.Warning("ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"));
        }

        if (volumes.FirstOrDefault(v => v.Metadata?.Name == volumeName) is not { } volume)
        {
            return new ClaimStep.Lost(VolumeEvent.Warning("ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!"));
        }

        // Unbound volume (or one whose update the informer has not shown yet): bind again; the same claim: make sure.
        return volume.Spec?.ClaimRef is null || volume.Spec.ClaimRef.Uid == claim.Metadata?.Uid
            ? new ClaimStep.Bind(volume)
            : new ClaimStep.Lost(VolumeEvent.Warning("ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly"));
    }

    /// <summary><c>emitEventForUnboundDelayBindingClaim</c>.</summary>
    private static VolumeEvent WaitingEvent(IReadOnlyList<string> unscheduledPods) => unscheduledPods.Count switch
    {
        0 => VolumeEvent.Normal(WaitForFirstConsumer, "waiting for first consumer to be created before binding"),
        1 => VolumeEvent.Normal("WaitForPodScheduled", $"waiting for pod {unscheduledPods[0]} to be scheduled"),
        _ => VolumeEvent.Normal("WaitForPodScheduled", $"waiting for pods {string.Join(",", unscheduledPods)} to be scheduled"),
    };
}
