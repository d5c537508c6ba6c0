using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The arithmetic of kube's disruption controller (pkg/controller/disruption), over explicit inputs: the budget, the
/// pods its selector picks, a way to find a pod's controller scale, and the time.
/// </summary>
internal static class DisruptionBudgetMath
{
    /// <summary>
    /// How long an eviction's entry in <c>status.disruptedPods</c> keeps its pod out of the healthy count: past it, the
    /// pod was evidently not deleted after all (kube's <c>DeletionTimeout</c>).
    /// </summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>getExpectedPodCount</c>: an integer minAvailable counts the selected pods; a percentage, or maxUnavailable, counts
    /// the replicas of the pods' controllers.
    /// </summary>
    /// <exception cref="InvalidOperationException">A controlled pod's controller cannot be found or has no scale.</exception>
    public static ExpectedPods Expected(V1PodDisruptionBudgetSpec spec, IReadOnlyList<V1Pod> pods, Func<V1OwnerReference, string, ControllerScale?> findScale)
    {
        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            var (count, unmanaged) = ExpectedScale(pods, findScale);
            return new ExpectedPods(count, Math.Max(0, count - RolloutMath.ScaledValue(maxUnavailable, count, roundUp: true)), unmanaged);
        }

        if (spec.MinAvailable is { } minAvailable)
        {
            if (!minAvailable.Value.EndsWith('%'))
            {
                return new ExpectedPods(pods.Count, RolloutMath.ScaledValue(minAvailable, 0, roundUp: true), []);
            }

            var (count, unmanaged) = ExpectedScale(pods, findScale);
            return new ExpectedPods(count, RolloutMath.ScaledValue(minAvailable, count, roundUp: true), unmanaged);
        }

        return new ExpectedPods(0, 0, []);
    }

    /// <summary>
    /// <c>getExpectedScale</c>: the sum of the replicas of every controller of the pods, each counted once. Pods without a
    /// controller are listed, not counted.
    /// </summary>
    private static (int Count, IReadOnlyList<string> Unmanaged) ExpectedScale(IReadOnlyList<V1Pod> pods, Func<V1OwnerReference, string, ControllerScale?> findScale)
    {
        var scales = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            if (OwnerReferences.ControllerOf(pod.Metadata) is not { } controller)
            {
                unmanaged.Add(pod.Metadata.Name);
                continue;
            }

            if (scales.ContainsKey(controller.Uid))
            {
                continue;
            }

            var scale = findScale(controller, pod.Metadata.NamespaceProperty ?? "")
                ?? throw new InvalidOperationException($"found no controllers for pod \"{pod.Metadata.Name}\"");
            scales[scale.Uid] = scale.Replicas;
        }

        return (scales.Values.Sum(), unmanaged);
    }

    /// <summary>
    /// <c>buildDisruptedPodMap</c>: the evictions still awaiting their pod's deletion. Entries of pods gone or already being
    /// deleted are dropped, and so are those past <see cref="DeletionTimeout"/>. Also returns when the earliest kept entry
    /// expires, for the budget to be looked at again then.
    /// </summary>
    public static (Dictionary<string, DateTime?> Disrupted, DateTimeOffset? Recheck) Disrupted(
        IDictionary<string, DateTime?>? recorded, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        var kept = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        DateTimeOffset? recheck = null;
        if (recorded is null)
        {
            return (kept, recheck);
        }

        foreach (var pod in pods)
        {
            // A missing time is Go's zero time, long expired.
            if (pod.Metadata.DeletionTimestamp is not null || !recorded.TryGetValue(pod.Metadata.Name, out var at) || at is not { } disruptedAt)
            {
                continue;
            }

            var expectedDeletion = Utc(disruptedAt) + DeletionTimeout;
            if (expectedDeletion < now)
            {
                continue;
            }

            kept[pod.Metadata.Name] = disruptedAt;
            if (recheck is null || expectedDeletion < recheck)
            {
                recheck = expectedDeletion;
            }
        }

        return (kept, recheck);
    }

    /// <summary><c>countHealthyPods</c>: ready pods, not being deleted, whose eviction (if any) is not still pending.</summary>
    public static int CurrentHealthy(IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, DateTime?> disrupted, DateTimeOffset now) =>
        pods.Count(pod => pod.Metadata.DeletionTimestamp is null
            && !(disrupted.TryGetValue(pod.Metadata.Name, out var at) && at is { } time && Utc(time) + DeletionTimeout > now)
            && PodState.IsReady(pod));

    /// <summary>
    /// The disruptions allowed: the healthy pods beyond those desired, none while the budget expects no pods (so that the
    /// first pods to appear are safe before the controller has counted them).
    /// </summary>
    public static int DisruptionsAllowed(int currentHealthy, int desiredHealthy, int expectedCount) =>
        expectedCount <= 0 ? 0 : Math.Max(0, currentHealthy - desiredHealthy);

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
