using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A StatefulSet's status over its pods, as kube's <c>computeReplicaStatus</c>, <c>completeRollingUpdate</c> and
/// <c>inconsistentStatus</c> count and compare it.
/// </summary>
public static class StatefulSetStatuses
{
    /// <summary><c>isCreated</c>: the API server has the pod (it gave it a phase).</summary>
    public static bool IsCreated(V1Pod pod) => !string.IsNullOrEmpty(pod.Status?.Phase);

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    /// <summary><c>isRunningAndReady</c>.</summary>
    public static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && PodState.IsReady(pod);

    /// <summary><c>isRunningAndAvailable</c>: ready for minReadySeconds.</summary>
    public static bool IsRunningAndAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        IsRunningAndReady(pod) && PodState.IsAvailable(pod, minReadySeconds, now);

    /// <summary><c>isUnavailable</c>: not healthy (running, ready and staying), or not yet available.</summary>
    public static bool IsUnavailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        IsTerminating(pod) || !IsRunningAndAvailable(pod, minReadySeconds, now);

    /// <summary>
    /// The counts of <c>updateStatus</c> over <paramref name="pods"/> written into <paramref name="status"/>: pods that
    /// exist, are ready, are available, and, unless terminating, are of the current and of the update revision.
    /// </summary>
    public static void Count(V1StatefulSetStatus status, int minReadySeconds, DateTimeOffset now, IEnumerable<V1Pod> pods)
    {
        int replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
        foreach (var pod in pods)
        {
            if (IsCreated(pod))
            {
                replicas++;
            }

            if (IsRunningAndReady(pod))
            {
                ready++;
                if (IsRunningAndAvailable(pod, minReadySeconds, now))
                {
                    available++;
                }
            }

            if (IsCreated(pod) && !IsTerminating(pod))
            {
                var revision = StatefulPods.Revision(pod);
                current += revision == status.CurrentRevision ? 1 : 0;
                updated += revision == status.UpdateRevision ? 1 : 0;
            }
        }

        (status.Replicas, status.ReadyReplicas, status.AvailableReplicas, status.CurrentReplicas, status.UpdatedReplicas) =
            (replicas, ready, available, current, updated);
    }

    /// <summary>
    /// <c>completeRollingUpdate</c>: once every pod of a rolling update is updated and ready, the update revision is the
    /// current one.
    /// </summary>
    public static void CompleteRollingUpdate(V1StatefulSet set, V1StatefulSetStatus status)
    {
        if (set.Spec.UpdateStrategy?.Type is null or "RollingUpdate"
            && status.UpdatedReplicas == status.Replicas
            && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }
    }

    /// <summary><c>inconsistentStatus</c>: whether the stored status differs from the counted one in what the controller writes.</summary>
    public static bool Inconsistent(V1StatefulSet set, V1StatefulSetStatus status)
    {
        var stored = set.Status ?? new V1StatefulSetStatus();
        return status.ObservedGeneration > (stored.ObservedGeneration ?? 0)
            || status.Replicas != stored.Replicas
            || status.CurrentReplicas != (stored.CurrentReplicas ?? 0)
            || status.ReadyReplicas != (stored.ReadyReplicas ?? 0)
            || status.UpdatedReplicas != (stored.UpdatedReplicas ?? 0)
            || status.AvailableReplicas != stored.AvailableReplicas
            || status.CurrentRevision != stored.CurrentRevision
            || status.UpdateRevision != stored.UpdateRevision;
    }
}
