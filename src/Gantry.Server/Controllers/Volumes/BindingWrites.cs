using Gantry.Core.Volumes;
using Gantry.Server.Registry.Rules;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// The objects kube's <c>bind</c> writes, each a copy changed only where it must be, or null when nothing needs writing:
/// the volume's <c>claimRef</c> (<c>getBindVolumeToClaim</c>), the claim's <c>volumeName</c> and annotations
/// (<c>bindClaimToVolume</c>), and the claim's status (<c>updateClaimStatus</c>).
/// </summary>
public static class BindingWrites
{
    /// <summary>
    /// The volume pointing at the claim (a full reference, its uid and resourceVersion included), marked bound by the
    /// controller unless the user pre-bound it to the claim.
    /// </summary>
    public static V1PersistentVolume? Volume(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(claim);
        var dirty = false;
        var copy = SemanticEquality.Clone(volume);
        copy.Spec ??= new V1PersistentVolumeSpec();
        var reference = volume.Spec?.ClaimRef;
        if (reference is null || reference.Name != claim.Metadata.Name || reference.NamespaceProperty != claim.Metadata.NamespaceProperty
            || reference.Uid != claim.Metadata.Uid)
        {
            copy.Spec.ClaimRef = ReferenceTo(claim);
            dirty = true;
        }

        if (!PersistentVolumeMatch.IsBoundTo(volume, claim) && !VolumeAnnotations.Has(copy.Metadata, VolumeAnnotations.BoundByController))
        {
            VolumeAnnotations.Set(copy.Metadata, VolumeAnnotations.BoundByController, "yes");
            dirty = true;
        }

        return dirty ? copy : null;
    }

    /// <summary>The claim naming the volume, with bind-completed (and bound-by-controller when the controller chose the volume).</summary>
    public static V1PersistentVolumeClaim? Claim(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volume);
        var dirty = false;
        var copy = SemanticEquality.Clone(claim);
        copy.Spec ??= new V1PersistentVolumeClaimSpec();
        if (claim.Spec?.VolumeName != volume.Metadata.Name)
        {
            copy.Spec.VolumeName = volume.Metadata.Name;
            if (!VolumeAnnotations.Has(copy.Metadata, VolumeAnnotations.BoundByController))
            {
                VolumeAnnotations.Set(copy.Metadata, VolumeAnnotations.BoundByController, "yes");
            }

            dirty = true;
        }

        if (!VolumeAnnotations.Has(copy.Metadata, VolumeAnnotations.BindCompleted))
        {
            VolumeAnnotations.Set(copy.Metadata, VolumeAnnotations.BindCompleted, "yes");
            dirty = true;
        }

        return dirty ? copy : null;
    }

    /// <summary>
    /// The claim's status in <paramref name="phase"/>: with a volume, its access modes and capacity (the capacity set
    /// only as the claim enters the phase, as kube does); without one, neither.
    /// </summary>
    public static V1PersistentVolumeClaim? ClaimStatus(V1PersistentVolumeClaim claim, string phase, V1PersistentVolume? volume)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var dirty = false;
        var copy = SemanticEquality.Clone(claim);
        var status = copy.Status ??= new V1PersistentVolumeClaimStatus();
        if (claim.Status?.Phase != phase)
        {
            status.Phase = phase;
            dirty = true;
        }

        if (volume is null)
        {
            dirty |= status.AccessModes is not null || status.Capacity is not null;
            status.AccessModes = null;
            status.Capacity = null;
            return dirty ? copy : null;
        }

        if (!(status.AccessModes ?? []).SequenceEqual(volume.Spec?.AccessModes ?? []) || (status.AccessModes is null) != (volume.Spec?.AccessModes is null))
        {
            status.AccessModes = volume.Spec?.AccessModes;
            dirty = true;
        }

        if (claim.Status?.Phase != phase
            && (status.Capacity is null || !status.Capacity.TryGetValue(PersistentVolumeMatch.Storage, out var held)
                || held.ToDecimal() != PersistentVolumeMatch.Capacity(volume)))
        {
            status.Capacity = volume.Spec?.Capacity;
            dirty = true;
        }

        return dirty ? copy : null;
    }

    /// <summary><c>unbindVolume</c>: a binding the controller made is removed; one the user made keeps the claim's name, not its uid.</summary>
    public static V1PersistentVolume Unbound(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var copy = SemanticEquality.Clone(volume);
        if (VolumeAnnotations.Has(volume.Metadata, VolumeAnnotations.BoundByController))
        {
            copy.Spec.ClaimRef = null;
            copy.Metadata.Annotations!.Remove(VolumeAnnotations.BoundByController);
            if (copy.Metadata.Annotations.Count == 0)
            {
                copy.Metadata.Annotations = null;
            }
        }
        else if (copy.Spec.ClaimRef is not null)
        {
            copy.Spec.ClaimRef.Uid = null;
        }

        return copy;
    }

    /// <summary><c>ref.GetReference</c> of a claim.</summary>
    public static V1ObjectReference ReferenceTo(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return new V1ObjectReference
        {
            Kind = "PersistentVolumeClaim",
            ApiVersion = "v1",
            NamespaceProperty = claim.Metadata.NamespaceProperty,
            Name = claim.Metadata.Name,
            Uid = claim.Metadata.Uid,
            ResourceVersion = claim.Metadata.ResourceVersion,
        };
    }
}
