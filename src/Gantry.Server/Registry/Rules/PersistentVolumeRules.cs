using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// PersistentVolumes, as kube's <c>SetDefaults_PersistentVolume</c>, <c>ValidatePersistentVolume</c> and
/// <c>ValidatePersistentVolumeUpdate</c> treat them: a volume source, access modes and a storage capacity; once created,
/// the source and volume mode never change and node affinity may only be set where there was none, while capacity,
/// claimRef, reclaim policy, mount options and storage class may.
/// </summary>
public sealed class PersistentVolumeRules() : ResourceRules<V1PersistentVolume>(ResourceCatalog.Get("", "persistentvolumes"))
{
    /// <summary>The annotation that gave mount options before <c>spec.mountOptions</c>, which kube still judges.</summary>
    public const string MountOptionsAnnotation = "volume.beta.kubernetes.io/mount-options";

    /// <summary>kube's <c>supportedReclaimPolicy</c>, sorted.</summary>
    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];

    private static readonly FieldPath Spec = FieldPath.Of("spec");

    protected override void Default(V1PersistentVolume obj)
    {
        var spec = obj.Spec ??= new V1PersistentVolumeSpec();
        if (string.IsNullOrEmpty(spec.PersistentVolumeReclaimPolicy))
        {
            spec.PersistentVolumeReclaimPolicy = "Retain";
        }

        spec.VolumeMode ??= "Filesystem";
        if (spec.HostPath is { } hostPath)
        {
            hostPath.Type ??= "";
        }

        var status = obj.Status ??= new V1PersistentVolumeStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = "Pending";
        }
    }

    protected override void Validate(V1PersistentVolume obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PersistentVolumeSpec();
        if (spec.AccessModes is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(Spec.Child("accessModes")));
        }

        StorageValidation.ValidateAccessModes(spec.AccessModes, Spec.Child("accessModes"), errors);
        ValidateCapacity(spec.Capacity, errors);
        if (!string.IsNullOrEmpty(spec.PersistentVolumeReclaimPolicy) && !ReclaimPolicies.Contains(spec.PersistentVolumeReclaimPolicy))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("persistentVolumeReclaimPolicy"), spec.PersistentVolumeReclaimPolicy, ReclaimPolicies));
        }

        if (spec.NodeAffinity is { } affinity)
        {
            VolumeNodeAffinityValidation.Validate(affinity, Spec.Child("nodeAffinity"), errors);
        }

        PersistentVolumeSourceValidation.Validate(spec, spec.NodeAffinity is not null, Spec, errors);
        if (spec.HostPath is { Path: { } hostPath } && IsRoot(hostPath) && spec.PersistentVolumeReclaimPolicy == "Recycle")
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"));
        }

        if (!string.IsNullOrEmpty(spec.StorageClassName))
        {
            StorageValidation.ValidateClassName(spec.StorageClassName, Spec.Child("storageClassName"), errors);
        }

        StorageValidation.ValidateVolumeMode(spec.VolumeMode, Spec.Child("volumeMode"), errors);
        ValidateVolumeAttributesClass(spec, errors);
        ValidateMountOptionsAnnotation(obj, errors);
    }

    protected override void ValidateUpdate(V1PersistentVolume obj, V1PersistentVolume old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var spec = obj.Spec ?? new V1PersistentVolumeSpec();
        var oldSpec = old.Spec ?? new V1PersistentVolumeSpec();
        var source = PersistentVolumeSourceValidation.SourceOf(spec);
        var oldSource = PersistentVolumeSourceValidation.SourceOf(oldSpec);

        // A CSI volume may gain the secret its driver needs to expand it.
        if (oldSpec.Csi is { ControllerExpandSecretRef: null } && spec.Csi is { ControllerExpandSecretRef: not null })
        {
            source.Csi = SemanticEquality.Clone(spec.Csi);
            source.Csi.ControllerExpandSecretRef = null;
        }

        if (!SemanticEquality.AreEqual(source, oldSource))
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("persistentvolumesource"),
                "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.Describe("core.PersistentVolumeSource", oldSource, source)));
        }

        if (spec.VolumeMode != old.Spec?.VolumeMode)
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("volumeMode"), spec.VolumeMode));
        }

        // Node affinity may be set once, where there was none.
        if (oldSpec.NodeAffinity is not null && !SemanticEquality.AreEqual(spec.NodeAffinity, oldSpec.NodeAffinity))
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("nodeAffinity"), GoValue.Struct("&core.VolumeNodeAffinity")));
        }

        if (oldSpec.VolumeAttributesClassName is not null && spec.VolumeAttributesClassName is null)
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("volumeAttributesClassName"), "update from non-nil value to nil is forbidden"));
        }
    }

    /// <summary>kube's <c>ValidatePersistentVolumeStatusUpdate</c> judges only the metadata, which the registry checks.</summary>
    protected override void ValidateStatusUpdate(V1PersistentVolume obj, V1PersistentVolume old, List<FieldError> errors)
    {
    }

    private static void ValidateCapacity(IDictionary<string, ResourceQuantity>? capacity, List<FieldError> errors)
    {
        var path = Spec.Child("capacity");
        if (capacity is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path));
        }

        if (capacity is null || !capacity.ContainsKey("storage") || capacity.Count > 1)
        {
            errors.Add(FieldErrors.NotSupported(path, GoValue.Struct("core.ResourceList"), ["storage"]));
        }

        foreach (var (name, quantity) in (capacity ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            StorageValidation.ValidateBasic(quantity, path.Key(name), errors);
            StorageValidation.ValidatePositive(quantity, path.Key(name), errors);
        }
    }

    private static void ValidateVolumeAttributesClass(V1PersistentVolumeSpec spec, List<FieldError> errors)
    {
        if (spec.VolumeAttributesClassName is not { } name)
        {
            return;
        }

        var path = Spec.Child("volumeAttributesClassName");
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path, "an empty string is disallowed"));
        }
        else
        {
            StorageValidation.ValidateClassName(name, path, errors);
        }

        if (spec.Csi is null)
        {
            errors.Add(FieldErrors.Required(Spec.Child("csi"), "has to be specified when using volumeAttributesClassName"));
        }
    }

    /// <summary>kube's <c>checkMountOption</c>: only the network and cloud volume types take mount options.</summary>
    private static void ValidateMountOptionsAnnotation(V1PersistentVolume obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PersistentVolumeSpec();
        var takesOptions = spec.GcePersistentDisk is not null || spec.AwsElasticBlockStore is not null || spec.Glusterfs is not null
            || spec.Nfs is not null || spec.Rbd is not null || spec.Quobyte is not null || spec.Iscsi is not null || spec.Cinder is not null
            || spec.Cephfs is not null || spec.AzureFile is not null || spec.VsphereVolume is not null || spec.AzureDisk is not null
            || spec.PhotonPersistentDisk is not null || spec.Csi is not null;
        if (!takesOptions && obj.Metadata?.Annotations?.ContainsKey(MountOptionsAnnotation) == true)
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("metadata", "annotations", MountOptionsAnnotation), "may not specify mount options for this volume type"));
        }
    }

    /// <summary>Whether Go's <c>path.Clean</c> makes <paramref name="path"/> <c>/</c>.</summary>
    private static bool IsRoot(string path)
    {
        if (!path.StartsWith('/'))
        {
            return false;
        }

        var depth = 0;
        foreach (var segment in path.Split('/'))
        {
            depth = segment switch
            {
                "" or "." => depth,
                ".." => Math.Max(0, depth - 1),
                _ => depth + 1,
            };
        }

        return depth == 0;
    }
}
