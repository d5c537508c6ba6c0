using Gantry.Core.Volumes;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// The volume Gantry's local-path provisioner makes for a claim, as rancher's local-path-provisioner shapes it: a
/// directory <c>&lt;nodePath&gt;/pvc-&lt;uid&gt;_&lt;namespace&gt;_&lt;claim&gt;</c> on the node the scheduler chose, created
/// when first mounted, and node affinity that keeps every pod using it on that node; pre-bound to the claim as kube's
/// <c>provisionClaimOperation</c> saves it.
/// </summary>
public static class LocalPathVolume
{
    /// <summary>The class parameter naming the directory volumes are made under.</summary>
    public const string NodePathParameter = "nodePath";

    public const string DefaultNodePath = "/var/lib/gantry/local-path";

    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary><c>getProvisionedVolumeNameForClaim</c>.</summary>
    public static string NameFor(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return $"pvc-{claim.Metadata.Uid}";
    }

    public static V1PersistentVolume New(V1PersistentVolumeClaim claim, V1StorageClass storageClass, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(storageClass);
        ArgumentNullException.ThrowIfNull(node);
        var name = NameFor(claim);
        var nodePath = NodePathOf(storageClass) ?? throw new ArgumentException($"the class's {NodePathParameter} is not an absolute path other than /", nameof(storageClass));
        var hostname = node.Metadata.Labels?.TryGetValue(HostnameLabel, out var label) == true ? label : node.Metadata.Name;
        var requested = claim.Spec?.Resources?.Requests?.TryGetValue(PersistentVolumeMatch.Storage, out var storage) == true ? storage : new ResourceQuantity("0");
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string>
                {
                    [VolumeAnnotations.ProvisionedBy] = VolumeAnnotations.LocalPathProvisioner,
                    [VolumeAnnotations.BoundByController] = "yes",
                },
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { [PersistentVolumeMatch.Storage] = requested },
                AccessModes = claim.Spec?.AccessModes is { } modes ? [.. modes] : null,
                PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
                StorageClassName = PersistentVolumeMatch.ClassOf(claim),
                MountOptions = storageClass.MountOptions is { Count: > 0 } options ? [.. options] : null,
                VolumeMode = "Filesystem",
                HostPath = new V1HostPathVolumeSource
                {
                    Path = DirectoryName(nodePath, name, claim.Metadata.NamespaceProperty, claim.Metadata.Name),
                    Type = "DirectoryOrCreate",
                },
                NodeAffinity = new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm
                            {
                                MatchExpressions = [new V1NodeSelectorRequirement { Key = HostnameLabel, OperatorProperty = "In", Values = [hostname] }],
                            },
                        ],
                    },
                },
                ClaimRef = BindingWrites.ReferenceTo(claim),
            },
            Status = new V1PersistentVolumeStatus { Phase = VolumeSync.Bound },
        };
    }

    /// <summary>
    /// The class's <c>nodePath</c> (the default when it has none) without a trailing slash; null when it is not an
    /// absolute path, or is the root, which no volume directory may be made in.
    /// </summary>
    public static string? NodePathOf(V1StorageClass? storageClass)
    {
        var configured = storageClass?.Parameters?.TryGetValue(NodePathParameter, out var value) == true && value.Length > 0 ? value : DefaultNodePath;
        var nodePath = configured.TrimEnd('/');
        return nodePath.Length > 0 && Path.IsPathFullyQualified(nodePath) && !nodePath.Split('/').Contains("..") ? nodePath : null;
    }

    /// <summary>
    /// The one directory this provisioner may remove for <paramref name="volume"/>: the one it names for the volume's
    /// claim under its class's nodePath (null when that cannot be told), so that no volume made or edited by hand can
    /// point its cleanup at another path.
    /// </summary>
    public static string? DirectoryOf(V1PersistentVolume volume, V1StorageClass? storageClass)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Spec?.ClaimRef is { } claim && NodePathOf(storageClass) is { } nodePath && claim.NamespaceProperty is { } ns && claim.Name is { } name
            ? DirectoryName(nodePath, volume.Metadata.Name, ns, name)
            : null;
    }

    private static string DirectoryName(string nodePath, string volumeName, string ns, string claimName) => $"{nodePath}/{volumeName}_{ns}_{claimName}";

    /// <summary>The directory of a volume this provisioner made.</summary>
    public static string? PathOf(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Spec?.HostPath?.Path ?? volume.Spec?.Local?.Path;
    }

    /// <summary>The <c>kubernetes.io/hostname</c> the volume's node affinity names.</summary>
    public static string? HostnameOf(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Spec?.NodeAffinity?.Required?.NodeSelectorTerms?
            .SelectMany(t => t.MatchExpressions ?? [])
            .FirstOrDefault(e => e.Key == HostnameLabel && e.OperatorProperty == "In" && e.Values is { Count: > 0 })?.Values[0];
    }
}
