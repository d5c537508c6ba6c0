using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// How kube's job controller counts finished pods with the tracking finalizer (trackJobStatusAndRemoveFinalizers): a
/// finished pod that still has the <see cref="JobTrackingFinalizer"/> has not been counted. Its uid goes into
/// <c>status.uncountedTerminatedPods</c>, which is stored before the finalizer is removed, and from there into
/// <c>status.succeeded</c> or <c>status.failed</c> once the finalizer is gone, so that the pod is counted exactly once
/// whatever happens to it afterwards. An Indexed job counts a succeeded pod by its index in
/// <c>status.completedIndexes</c> instead of by its uid.
/// </summary>
public static class UncountedPods
{
    /// <summary>kube's MaxUncountedPods: keeps the uid lists near 20 KB, and a big job's sync from starving the others.</summary>
    public const int Max = 500;

    /// <summary>
    /// kube's isPodFailed: Failed; or, unless only failed pods are replaced, deleted before it succeeded, since an
    /// orphaned pod never reaches a phase.
    /// </summary>
    public static bool IsFailed(V1Pod pod, V1Job job)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(job);
        if (pod.Status?.Phase == "Failed")
        {
            return true;
        }

        return !OnlyReplacesFailedPods(job) && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded";
    }

    /// <summary>podReplacementPolicy Failed, which a pod failure policy implies.</summary>
    public static bool OnlyReplacesFailedPods(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Spec.PodReplacementPolicy == "Failed" || job.Spec.PodFailurePolicy is not null;
    }

    /// <summary>Whether the failure counts towards the backoff limits: not when the pod failure policy ignores it.</summary>
    public static bool CountsAsFailure(V1Job job, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(job);
        return PodFailurePolicyRules.Match(job.Spec.PodFailurePolicy, pod)?.Action != PodFailurePolicyRules.Ignore;
    }

    /// <summary>
    /// kube's getNewFinishedPods: the succeeded and the failed pods not counted yet, neither in the counts nor in
    /// <paramref name="uncounted"/>: those with the finalizer whose removal is not awaited and, for an Indexed job, with a
    /// valid index.
    /// </summary>
    public static (List<V1Pod> Succeeded, List<V1Pod> Failed) NewFinished(
        V1Job job, IEnumerable<V1Pod> pods, V1UncountedTerminatedPods uncounted, IReadOnlySet<string> awaitedRemovals)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(uncounted);
        var candidates = pods.Where(p => JobTrackingFinalizer.Has(p) && !awaitedRemovals.Contains(p.Uid()) && HasValidIndex(job, p)).ToList();
        return (
            [.. candidates.Where(p => p.Status?.Phase == "Succeeded" && uncounted.Succeeded?.Contains(p.Uid()) != true)],
            [.. candidates.Where(p => IsFailed(p, job) && uncounted.Failed?.Contains(p.Uid()) != true)]);
    }

    /// <summary>
    /// kube's cleanUncountedPodsWithoutFinalizers: the uncounted pods that no longer hold a finalizer (removed, or the
    /// pod gone) move into the counts. Says whether anything moved.
    /// </summary>
    public static bool Count(V1JobStatus status, IReadOnlySet<string> uidsWithFinalizer)
    {
        ArgumentNullException.ThrowIfNull(status);
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        var (succeeded, succeededLeft) = Split(uncounted.Succeeded, uidsWithFinalizer);
        var (failed, failedLeft) = Split(uncounted.Failed, uidsWithFinalizer);
        uncounted.Succeeded = succeededLeft;
        uncounted.Failed = failedLeft;
        status.Succeeded = (status.Succeeded ?? 0) + succeeded;
        status.Failed = (status.Failed ?? 0) + failed;
        return succeeded + failed > 0;
    }

    public static bool IsEmpty(V1UncountedTerminatedPods? uncounted) => (uncounted?.Succeeded?.Count ?? 0) + (uncounted?.Failed?.Count ?? 0) == 0;

    /// <summary>
    /// The pass over the pods with the finalizer of kube's trackJobStatusAndRemoveFinalizers: which finished pods to
    /// release, their uids added to <paramref name="status"/>'s uncounted lists (or, for a succeeded pod of an Indexed
    /// job, its index to the new succeeded indexes). When the job is ending every pod is released, and if it fails every
    /// pod not succeeded counts as failed.
    /// </summary>
    public static Release Plan(V1Job job, V1JobStatus status, IEnumerable<V1Pod> pods, IReadOnlySet<string> awaitedRemovals, JobEnding? ending,
        IReadOnlySet<int> previousIndexes, Func<V1Pod, bool> holdsBack)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        var knownSucceeded = (uncounted.Succeeded ?? []).ToHashSet();
        var knownFailed = (uncounted.Failed ?? []).ToHashSet();
        var indexed = JobCompletionIndex.IsIndexed(job);
        var completions = job.Spec.Completions ?? 0;
        var release = new Release();
        var ordered = indexed ? pods.OrderBy(p => JobCompletionIndex.Of(p, int.MaxValue) ?? -1) : pods;
        foreach (var pod in ordered.Where(p => JobTrackingFinalizer.Has(p) && !awaitedRemovals.Contains(p.Uid())))
        {
            var failed = IsFailed(pod, job);
            if (!CanRelease(job, pod, ending, failed, holdsBack))
            {
                continue;
            }

            release.Pods.Add(pod);
            var uid = pod.Uid();
            var index = indexed ? JobCompletionIndex.Of(pod, completions) : null;
            if (pod.Status?.Phase == "Succeeded" && !knownFailed.Contains(uid))
            {
                if (index is { } succeededIndex && !previousIndexes.Contains(succeededIndex))
                {
                    release.SucceededIndexes.Add(succeededIndex);
                }
                else if (!indexed && knownSucceeded.Add(uid))
                {
                    uncounted.Succeeded = [.. uncounted.Succeeded ?? [], uid];
                }
            }
            else if ((failed || ending?.Failed == true) && !knownFailed.Contains(uid) && (!indexed || index is not null) && CountsAsFailure(job, pod))
            {
                knownFailed.Add(uid);
                uncounted.Failed = [.. uncounted.Failed ?? [], uid];
            }

            if (release.SucceededIndexes.Count + (uncounted.Succeeded?.Count ?? 0) + (uncounted.Failed?.Count ?? 0) >= Max)
            {
                release.ReachedMax = true;
                break;
            }
        }

        return release;
    }

    /// <summary>
    /// kube's canRemoveFinalizer: every pod of a job being deleted or ending, a succeeded pod, and a failed one unless it
    /// is held back (a failed pod whose index awaits its replacement, which inherits its failure count).
    /// </summary>
    private static bool CanRelease(V1Job job, V1Pod pod, JobEnding? ending, bool failed, Func<V1Pod, bool> holdsBack) =>
        job.Metadata.DeletionTimestamp is not null || ending is not null || pod.Status?.Phase == "Succeeded" || (failed && !holdsBack(pod));

    private static bool HasValidIndex(V1Job job, V1Pod pod) =>
        !JobCompletionIndex.IsIndexed(job) || JobCompletionIndex.Of(pod, job.Spec.Completions ?? 0) is not null;

    private static (int Moved, List<string>? Left) Split(IList<string>? uids, IReadOnlySet<string> uidsWithFinalizer)
    {
        var left = (uids ?? []).Where(uidsWithFinalizer.Contains).ToList();
        return ((uids?.Count ?? 0) - left.Count, left.Count == 0 ? null : left);
    }

    /// <summary>The pods whose finalizer a sync removes, and the succeeded indexes that come with them.</summary>
    public sealed class Release
    {
        public List<V1Pod> Pods { get; } = [];

        public List<int> SucceededIndexes { get; } = [];

        /// <summary>The uncounted lists are full: the job must not be declared finished until a later sync.</summary>
        public bool ReachedMax { get; set; }
    }
}
