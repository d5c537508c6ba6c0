using k8s.Models;

namespace Gantry.Tests.Controllers.Volumes;

/// <summary>Claims, volumes and classes for the volume controllers' decisions.</summary>
internal static class Objects
{
    public static V1PersistentVolume Volume(string name, string size, string className = "manual", params string[] modes) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolume",
        Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-{name}" },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            AccessModes = modes.Length == 0 ? ["ReadWriteOnce"] : [.. modes],
            StorageClassName = className,
            PersistentVolumeReclaimPolicy = "Retain",
            HostPath = new V1HostPathVolumeSource { Path = $"/data/{name}" },
        },
        Status = new V1PersistentVolumeStatus { Phase = "Available" },
    };

    public static V1PersistentVolumeClaim Claim(string name, string size, string className = "manual", params string[] modes) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = $"uid-{name}", ResourceVersion = "7" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = modes.Length == 0 ? ["ReadWriteOnce"] : [.. modes],
            StorageClassName = className,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
    };

    public static V1StorageClass Class(string name, string provisioner, string bindingMode = "Immediate") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Provisioner = provisioner,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = bindingMode,
    };

    /// <summary>The volume pointing at the claim, as a bind or the scheduler leaves it.</summary>
    public static V1PersistentVolume BoundTo(this V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        volume.Spec.ClaimRef = new V1ObjectReference
        {
            Kind = "PersistentVolumeClaim", NamespaceProperty = claim.Metadata.NamespaceProperty, Name = claim.Metadata.Name, Uid = claim.Metadata.Uid,
        };
        return volume;
    }

    public static T Annotated<T>(this T obj, string key, string value) where T : k8s.IKubernetesObject<V1ObjectMeta>
    {
        (obj.Metadata.Annotations ??= new Dictionary<string, string>())[key] = value;
        return obj;
    }
}
