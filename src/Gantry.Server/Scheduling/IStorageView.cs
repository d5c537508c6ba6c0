using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// What the scheduler reads of the cluster's storage to place a pod that uses PersistentVolumeClaims: the claims, the
/// volumes and the classes as its informers hold them, and the volumes it has itself promised to a claim and not yet
/// seen bound (kube-scheduler's assume cache).
/// </summary>
public interface IStorageView
{
    V1PersistentVolumeClaim? Claim(string ns, string name);

    V1PersistentVolume? Volume(string name);

    V1StorageClass? Class(string name);

    IReadOnlyList<V1PersistentVolume> Volumes();

    /// <summary>The claim (namespace/name) a volume was promised to by a placement still binding, if any.</summary>
    string? PromisedTo(string volume);

    /// <summary>
    /// How a placement still binding has promised to bind the claim (namespace/name), if one has: the node its volume is
    /// to be on and the volume, or none for one to be provisioned there. Every pod sharing the claim must go there too.
    /// </summary>
    ClaimBinding? AssumedFor(string claim);
}
