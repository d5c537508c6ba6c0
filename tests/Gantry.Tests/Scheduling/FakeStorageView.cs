using Gantry.Server.Scheduling;
using k8s.Models;

namespace Gantry.Tests.Scheduling;

/// <summary>A fake <see cref="IStorageView"/> for unit tests: claims, volumes and classes held in lists.</summary>
internal sealed class FakeStorageView : IStorageView
{
    public List<V1PersistentVolumeClaim> Claims { get; } = [];

    public List<V1PersistentVolume> AllVolumes { get; } = [];

    public List<V1StorageClass> Classes { get; } = [];

    public Dictionary<string, string> Promised { get; } = [];

    public Dictionary<string, ClaimBinding> Assumed { get; } = [];

    public V1PersistentVolumeClaim? Claim(string ns, string name) => Claims.Find(c => c.Metadata.NamespaceProperty == ns && c.Metadata.Name == name);

    public V1PersistentVolume? Volume(string name) => AllVolumes.Find(v => v.Metadata.Name == name);

    public V1StorageClass? Class(string name) => Classes.Find(c => c.Metadata.Name == name);

    public IReadOnlyList<V1PersistentVolume> Volumes() => AllVolumes;

    public string? PromisedTo(string volume) => Promised.TryGetValue(volume, out var claim) ? claim : null;

    public ClaimBinding? AssumedFor(string claim) => Assumed.TryGetValue(claim, out var binding) ? binding : null;

    public static V1PersistentVolumeClaim NewClaim(string name, string? storageClass, string size = "1Gi", string? volumeName = null, bool bindCompleted = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "default", Uid = $"uid-{name}",
            Annotations = bindCompleted ? new Dictionary<string, string> { ["pv.kubernetes.io/bind-completed"] = "yes" } : null,
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass, VolumeName = volumeName, AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };

    public static V1PersistentVolume NewVolume(string name, string? storageClass, string size = "1Gi", string? onNode = null, string phase = "Available") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            StorageClassName = storageClass, AccessModes = ["ReadWriteOnce"],
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            HostPath = new V1HostPathVolumeSource { Path = $"/data/{name}" },
            NodeAffinity = onNode is null ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm
                    {
                        MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [onNode] }],
                    }],
                },
            },
        },
        Status = new V1PersistentVolumeStatus { Phase = phase },
    };

    public static V1StorageClass NewClass(string name, string bindingMode, string provisioner = "gantry.io/local-path") => new()
    {
        Metadata = new V1ObjectMeta { Name = name }, Provisioner = provisioner, VolumeBindingMode = bindingMode,
    };
}
