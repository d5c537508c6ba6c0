using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A pod's PersistentVolumeClaims as the volume binding plugin sorts them at PreFilter (kube's podVolumeClaims): the
/// claims already bound to a volume, and the unbound ones whose class waits for this first consumer to choose a node.
/// </summary>
public sealed record PodVolumeClaims(IReadOnlyList<V1PersistentVolumeClaim> Bound, IReadOnlyList<V1PersistentVolumeClaim> Delayed)
{
    public static PodVolumeClaims None { get; } = new([], []);

    public bool IsEmpty => Bound.Count == 0 && Delayed.Count == 0;
}
