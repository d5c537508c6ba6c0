using k8s.Models;

namespace Gantry.Tests.Registry.Storage;

/// <summary>The volumes, claims and classes the storage tests start from: each valid, so a test changes only what it judges.</summary>
internal static class StorageObjects
{
    public static V1PersistentVolume HostPathVolume(string name = "pv-1", string capacity = "1Gi") => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolume",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity) },
            AccessModes = ["ReadWriteOnce"],
            HostPath = new V1HostPathVolumeSource { Path = "/data/" + name },
        },
    };

    public static V1PersistentVolumeClaim Claim(string name = "data", string request = "1Gi", string? storageClass = null) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(request) } },
            StorageClassName = storageClass,
        },
    };

    public static V1StorageClass Class(string name = "fast", string provisioner = "gantry.io/local-path", bool isDefault = false) => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
        },
        Provisioner = provisioner,
    };
}
