using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// One sync of a StatefulSet over a snapshot of its pods (kube's <c>updateStatefulSet</c>), as the steps to take and the
/// status to write. Pods inside the ordinal range are replicas: a missing one is created, a failed or succeeded one
/// deleted to be made again, one without its identity updated. Pods outside it are condemned and deleted from the
/// highest ordinal. Under OrderedReady every step waits for the pods before it to be running, ready and available, so
/// a sync takes at most one step that changes the set's pods; under Parallel it takes them all. Then a RollingUpdate
/// deletes the highest pod at or above the partition that is not of the update revision, once the pods above it are
/// available again.
/// </summary>
public static class StatefulSetPlan
{
    /// <param name="set">The StatefulSet as stored.</param>
    /// <param name="history">Its current and update revisions.</param>
    /// <param name="pods">The pods it owns.</param>
    /// <param name="now">The time availability is measured at.</param>
    public static (List<StatefulSetStep> Steps, V1StatefulSetStatus Status) Make(
        V1StatefulSet set, StatefulSetRevisionSet history, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            CurrentRevision = history.Current.Name(),
            UpdateRevision = history.Update.Name(),
            CollisionCount = history.CollisionCount,
        };
        StatefulSetStatuses.Count(status, minReady, now, pods);
        List<StatefulSetStep> steps = [];
        if (set.Metadata.DeletionTimestamp is not null)
        {
            return (steps, status);
        }

        var (replicas, condemned) = Partition(set, history, pods);
        var firstUnavailable = replicas.Concat(Enumerable.Reverse(condemned))
            .FirstOrDefault(p => StatefulSetStatuses.IsUnavailable(p, minReady, now));
        var monotonic = set.Spec.PodManagementPolicy != "Parallel";
        var done = Run(replicas, pod => ProcessReplica(set, pod, monotonic, minReady, now, steps), monotonic)
            || Run(condemned, pod => ProcessCondemned(pod, firstUnavailable, monotonic, minReady, now, steps), monotonic);
        StatefulSetStatuses.Count(status, minReady, now, replicas.Concat(condemned));
        if (done || set.Spec.UpdateStrategy?.Type == "OnDelete")
        {
            return (steps, status);
        }

        var partition = set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        for (var target = replicas.Count - 1; target >= partition; target--)
        {
            var pod = replicas[target];
            if (StatefulPods.Revision(pod) != status.UpdateRevision && !StatefulSetStatuses.IsTerminating(pod))
            {
                steps.Add(new StatefulSetStep(StatefulPodAction.Delete, pod));
                status.CurrentReplicas--;
                break;
            }

            if (StatefulSetStatuses.IsUnavailable(pod, minReady, now))
            {
                break;
            }
        }

        return (steps, status);
    }

    /// <summary>
    /// The replicas by ordinal, a pod made for each missing one, and the condemned pods, highest ordinal first; a pod
    /// whose name has no ordinal is neither.
    /// </summary>
    private static (List<V1Pod> Replicas, List<V1Pod> Condemned) Partition(V1StatefulSet set, StatefulSetRevisionSet history, IReadOnlyList<V1Pod> pods)
    {
        var start = StatefulPods.StartOrdinal(set);
        var replicas = new V1Pod?[Math.Max(set.Spec.Replicas ?? 1, 0)];
        List<V1Pod> condemned = [];
        foreach (var pod in pods)
        {
            if (StatefulPods.InOrdinalRange(set, pod))
            {
                replicas[StatefulPods.Ordinal(pod) - start] = pod;
            }
            else if (StatefulPods.Ordinal(pod) >= 0)
            {
                condemned.Add(pod);
            }
        }

        for (var i = 0; i < replicas.Length; i++)
        {
            replicas[i] ??= NewVersionedPod(set, history, start + i);
        }

        return ([.. replicas.Select(p => p!)], [.. condemned.OrderByDescending(StatefulPods.Ordinal)]);
    }

    /// <summary>
    /// <c>newVersionedStatefulSetPod</c>: below the partition a new pod is made from the current revision (or, with no
    /// rolling update settings, below the count of current replicas), above it from the update revision.
    /// </summary>
    private static V1Pod NewVersionedPod(V1StatefulSet set, StatefulSetRevisionSet history, int ordinal)
    {
        var start = StatefulPods.StartOrdinal(set);
        var strategy = set.Spec.UpdateStrategy;
        var current = (strategy?.Type == "RollingUpdate" && strategy.RollingUpdate is null && ordinal < start + (set.Status?.CurrentReplicas ?? 0))
            || (strategy?.RollingUpdate is { } rollingUpdate && ordinal < start + (rollingUpdate.Partition ?? 0));
        var revision = current ? history.Current : history.Update;
        return StatefulPods.New(set, StatefulSetRevisions.Apply(set, revision).Spec.Template, revision.Name(), ordinal);
    }

    /// <summary><c>runForAll</c>: whether the sync ends here. OrderedReady stops at the first pod that says so; Parallel never does.</summary>
    private static bool Run(List<V1Pod> pods, Func<V1Pod, bool> process, bool monotonic)
    {
        foreach (var pod in pods)
        {
            if (process(pod) && monotonic)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>processReplica</c>: whether an OrderedReady sync must stop at this pod.</summary>
    private static bool ProcessReplica(V1StatefulSet set, V1Pod pod, bool monotonic, int minReady, DateTimeOffset now, List<StatefulSetStep> steps)
    {
        // A Succeeded pod is replaced too: an evicted or node-killed pod's phase comes from its exit code.
        if (pod.Status?.Phase is "Failed" or "Succeeded")
        {
            if (!StatefulSetStatuses.IsTerminating(pod))
            {
                steps.Add(new StatefulSetStep(StatefulPodAction.Delete, pod));
            }

            return true;
        }

        if (!StatefulSetStatuses.IsCreated(pod))
        {
            steps.Add(new StatefulSetStep(StatefulPodAction.Create, pod));
            if (monotonic)
            {
                return true;
            }
        }

        if (pod.Status?.Phase == "Pending" && set.Spec.VolumeClaimTemplates is { Count: > 0 })
        {
            steps.Add(new StatefulSetStep(StatefulPodAction.CreateMissingClaims, pod));
        }

        if (monotonic && (StatefulSetStatuses.IsTerminating(pod) || !StatefulSetStatuses.IsRunningAndAvailable(pod, minReady, now)))
        {
            return true;
        }

        if (!StatefulPods.IdentityMatches(set, pod))
        {
            var replica = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
            StatefulPods.UpdateIdentity(set, replica);
            steps.Add(new StatefulSetStep(StatefulPodAction.Update, replica));
        }

        // ClaimsMatchRetentionPolicy: a policy changed since the claims were made reaches them (nothing is written when it has not).
        if (set.Spec.VolumeClaimTemplates is { Count: > 0 })
        {
            steps.Add(new StatefulSetStep(StatefulPodAction.UpdateClaimOwners, pod));
        }

        return false;
    }

    /// <summary>
    /// <c>processCondemned</c>: a condemned pod is deleted, under OrderedReady only once it is terminating-free, ready and
    /// available, unless it is the first unavailable pod of the set; either way an OrderedReady sync stops here.
    /// </summary>
    private static bool ProcessCondemned(V1Pod pod, V1Pod? firstUnavailable, bool monotonic, int minReady, DateTimeOffset now, List<StatefulSetStep> steps)
    {
        if (StatefulSetStatuses.IsTerminating(pod))
        {
            return monotonic;
        }

        if (monotonic && !ReferenceEquals(pod, firstUnavailable) && !StatefulSetStatuses.IsRunningAndAvailable(pod, minReady, now))
        {
            return true;
        }

        steps.Add(new StatefulSetStep(StatefulPodAction.Delete, pod));
        return true;
    }
}
