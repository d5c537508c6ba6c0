using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// The volume-type half of kube's <c>ValidatePersistentVolumeSpec</c>: exactly one source, checked as kube checks hostPath,
/// local, nfs and csi (the cloud and legacy sources count toward the one but are not looked into: Gantry serves none of them).
/// </summary>
internal static class PersistentVolumeSourceValidation
{
    /// <summary>kube's <c>supportedHostPathTypes</c>, sorted.</summary>
    private static readonly string[] HostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    /// <summary>Each source in the order kube checks them, under the name its "more than 1" error gives.</summary>
    private static readonly (string Name, Func<V1PersistentVolumeSpec, object?> Get)[] Sources =
    [
        ("hostPath", s => s.HostPath),
        ("gcePersistentDisk", s => s.GcePersistentDisk),
        ("awsElasticBlockStore", s => s.AwsElasticBlockStore),
        ("glusterfs", s => s.Glusterfs),
        ("flocker", s => s.Flocker),
        ("nfs", s => s.Nfs),
        ("rbd", s => s.Rbd),
        ("quobyte", s => s.Quobyte),
        ("cephFS", s => s.Cephfs),
        ("iscsi", s => s.Iscsi),
        ("cinder", s => s.Cinder),
        ("fc", s => s.Fc),
        ("flexVolume", s => s.FlexVolume),
        ("azureFile", s => s.AzureFile),
        ("vsphereVolume", s => s.VsphereVolume),
        ("photonPersistentDisk", s => s.PhotonPersistentDisk),
        ("portworxVolume", s => s.PortworxVolume),
        ("azureDisk", s => s.AzureDisk),
        ("scaleIO", s => s.ScaleIO),
        ("local", s => s.Local),
        ("storageos", s => s.Storageos),
        ("csi", s => s.Csi),
    ];

    /// <summary>The spec with only its volume source, what kube calls <c>PersistentVolumeSource</c>.</summary>
    public static V1PersistentVolumeSpec SourceOf(V1PersistentVolumeSpec spec) => new()
    {
        HostPath = spec.HostPath, GcePersistentDisk = spec.GcePersistentDisk, AwsElasticBlockStore = spec.AwsElasticBlockStore,
        Glusterfs = spec.Glusterfs, Flocker = spec.Flocker, Nfs = spec.Nfs, Rbd = spec.Rbd, Quobyte = spec.Quobyte, Cephfs = spec.Cephfs,
        Iscsi = spec.Iscsi, Cinder = spec.Cinder, Fc = spec.Fc, FlexVolume = spec.FlexVolume, AzureFile = spec.AzureFile,
        VsphereVolume = spec.VsphereVolume, PhotonPersistentDisk = spec.PhotonPersistentDisk, PortworxVolume = spec.PortworxVolume,
        AzureDisk = spec.AzureDisk, ScaleIO = spec.ScaleIO, Local = spec.Local, Storageos = spec.Storageos, Csi = spec.Csi,
    };

    public static void Validate(V1PersistentVolumeSpec spec, bool nodeAffinitySpecified, FieldPath path, List<FieldError> errors)
    {
        var count = 0;
        foreach (var (name, get) in Sources)
        {
            if (get(spec) is not { } source)
            {
                continue;
            }

            // kube never refuses a flexVolume beside another source, only counts it.
            if (count > 0 && name != "flexVolume")
            {
                errors.Add(FieldErrors.Forbidden(path.Child(name), "may not specify more than 1 volume type"));
                continue;
            }

            count++;
            switch (source)
            {
                case V1HostPathVolumeSource hostPath:
                    ValidateHostPath(hostPath, path.Child("hostPath"), errors);
                    break;
                case V1NFSVolumeSource nfs:
                    ValidateNfs(nfs, path.Child("nfs"), errors);
                    break;
                case V1LocalVolumeSource local:
                    ValidateLocal(local, path.Child("local"), errors);
                    if (!nodeAffinitySpecified)
                    {
                        errors.Add(FieldErrors.Required(path.Child("nodeAffinity"), "Local volume requires node affinity"));
                    }

                    break;
                case V1CSIPersistentVolumeSource csi:
                    ValidateCsi(csi, path.Child("csi"), errors);
                    break;
            }
        }

        if (count == 0)
        {
            errors.Add(FieldErrors.Required(path, "must specify a volume type"));
        }
    }

    /// <summary>kube's <c>validateHostPathVolumeSource</c>.</summary>
    private static void ValidateHostPath(V1HostPathVolumeSource hostPath, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(hostPath.Path))
        {
            errors.Add(FieldErrors.Required(path.Child("path")));
            return;
        }

        StorageValidation.ValidateNoBacksteps(hostPath.Path, path.Child("path"), errors);
        if (hostPath.Type is { } type && !HostPathTypes.Contains(type))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("type"), type, HostPathTypes));
        }
    }

    /// <summary>kube's <c>validateLocalVolumeSource</c>.</summary>
    private static void ValidateLocal(V1LocalVolumeSource local, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(local.Path))
        {
            errors.Add(FieldErrors.Required(path.Child("path")));
            return;
        }

        StorageValidation.ValidateNoBacksteps(local.Path, path.Child("path"), errors);
    }

    /// <summary>kube's <c>validateNFSVolumeSource</c>.</summary>
    private static void ValidateNfs(V1NFSVolumeSource nfs, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(nfs.Server))
        {
            errors.Add(FieldErrors.Required(path.Child("server")));
        }

        if (string.IsNullOrEmpty(nfs.Path))
        {
            errors.Add(FieldErrors.Required(path.Child("path")));
        }

        if (!(nfs.Path ?? "").StartsWith('/'))
        {
            errors.Add(FieldErrors.Invalid(path.Child("path"), nfs.Path ?? "", "must be an absolute path"));
        }
    }

    /// <summary>kube's <c>validateCSIPersistentVolumeSource</c>.</summary>
    private static void ValidateCsi(V1CSIPersistentVolumeSource csi, FieldPath path, List<FieldError> errors)
    {
        ValidateCsiDriverName(csi.Driver ?? "", path.Child("driver"), errors);
        if (string.IsNullOrEmpty(csi.VolumeHandle))
        {
            errors.Add(FieldErrors.Required(path.Child("volumeHandle")));
        }

        ValidateSecretReference(csi.ControllerPublishSecretRef, path.Child("controllerPublishSecretRef"), errors);
        ValidateSecretReference(csi.ControllerExpandSecretRef, path.Child("controllerExpandSecretRef"), errors);
        ValidateSecretReference(csi.NodePublishSecretRef, path.Child("nodePublishSecretRef"), errors);
        ValidateSecretReference(csi.NodeExpandSecretRef, path.Child("nodeExpandSecretRef"), errors);
    }

    /// <summary>kube's <c>ValidateCSIDriverName</c>.</summary>
    private static void ValidateCsiDriverName(string driver, FieldPath path, List<FieldError> errors)
    {
        if (driver.Length == 0)
        {
            errors.Add(FieldErrors.Required(path));
        }

        if (driver.Length > 63)
        {
            errors.Add(FieldErrors.TooLong(path, 63));
        }

        errors.AddRange(FormatValidation.IsDns1123Subdomain(driver.ToLowerInvariant()).Select(m => FieldErrors.Invalid(path, driver, m)));
    }

    /// <summary>kube's <c>validatePVSecretReference</c>.</summary>
    private static void ValidateSecretReference(V1SecretReference? reference, FieldPath path, List<FieldError> errors)
    {
        if (reference is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            errors.Add(FieldErrors.Required(path.Child("name")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(reference.Name).Select(m => FieldErrors.Invalid(path.Child("name"), reference.Name, m)));
        }

        if (string.IsNullOrEmpty(reference.NamespaceProperty))
        {
            errors.Add(FieldErrors.Required(path.Child("namespace")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Label(reference.NamespaceProperty).Select(m => FieldErrors.Invalid(path.Child("namespace"), reference.NamespaceProperty, m)));
        }
    }
}
