using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>The annotations and finalizers by which kube's volume controllers, the scheduler and provisioners talk.</summary>
public static class VolumeAnnotations
{
    /// <summary>On a claim: the controller has finished binding it (both sides written).</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On a claim or volume: the controller, not the user, wrote the binding (so it may undo it).</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a volume: the provisioner that made it, and so the one to delete it.</summary>
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";

    /// <summary>On a claim: the node the scheduler chose, where its volume is to be provisioned.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>On a claim: the provisioner asked to provision it.</summary>
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The beta key of <see cref="StorageProvisioner"/>, still written beside it.</summary>
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>The provisioner Gantry runs in-process: a directory on the node the claim's pod was scheduled to.</summary>
    public const string LocalPathProvisioner = "gantry.io/local-path";

    /// <summary>Kept on a claim while a pod uses it.</summary>
    public const string ClaimProtection = "kubernetes.io/pvc-protection";

    /// <summary>Kept on a volume while it is bound.</summary>
    public const string VolumeProtection = "kubernetes.io/pv-protection";

    public static bool Has(V1ObjectMeta? metadata, string key) => metadata?.Annotations?.ContainsKey(key) == true;

    public static string? Get(V1ObjectMeta? metadata, string key) =>
        metadata?.Annotations?.TryGetValue(key, out var value) == true ? value : null;

    public static void Set(V1ObjectMeta metadata, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        (metadata.Annotations ??= new Dictionary<string, string>())[key] = value;
    }
}
