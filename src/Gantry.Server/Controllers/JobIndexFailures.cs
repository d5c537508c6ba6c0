using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// <c>backoffLimitPerIndex</c> of an Indexed job, as kube's job controller keeps it: each pod carries the failures of its
/// index before it in <c>batch.kubernetes.io/job-index-failure-count</c> (and those the pod failure policy ignored in
/// <c>…-ignored-failure-count</c>), which its replacement inherits one higher. An index fails once a pod fails with a
/// count at the limit, or matches a <c>FailIndex</c> rule; it then gets no more pods, and goes into
/// <c>status.failedIndexes</c>.
/// </summary>
public static class JobIndexFailures
{
    public const string FailureCountKey = "batch.kubernetes.io/job-index-failure-count";

    public const string IgnoredFailureCountKey = "batch.kubernetes.io/job-index-ignored-failure-count";

    public const string FailedIndexes = "FailedIndexes";

    public const string FailedIndexesMessage = "Job has failed indexes";

    public const string MaxFailedIndexesExceeded = "MaxFailedIndexesExceeded";

    public const string MaxFailedIndexesExceededMessage = "Job has exceeded the specified maximal number of failed indexes";

    public static bool HasBackoffLimitPerIndex(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return JobCompletionIndex.IsIndexed(job) && job.Spec.BackoffLimitPerIndex is not null && job.Spec.Completions is not null;
    }

    /// <summary>The failures of the pod's index before it; 0 when the annotation is missing or not a count.</summary>
    public static int FailureCount(V1Pod pod) => Annotation(pod, FailureCountKey);

    /// <summary>The failures of the index before the pod and the pod's own, ignored ones included (the index's back-off).</summary>
    public static int AllFailures(V1Pod pod) => Annotation(pod, FailureCountKey) + Annotation(pod, IgnoredFailureCountKey);

    /// <summary>kube's isIndexFailed: the failed pod matches a FailIndex rule, or its counted failure reaches the limit.</summary>
    public static bool FailsIndex(V1Job job, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!UncountedPods.IsFailed(pod, job))
        {
            return false;
        }

        var action = PodFailurePolicyRules.Match(job.Spec.PodFailurePolicy, pod)?.Action;
        return action == PodFailurePolicyRules.FailIndex || (action != PodFailurePolicyRules.Ignore && FailureCount(pod) >= job.Spec.BackoffLimitPerIndex);
    }

    /// <summary>kube's calculateFailedIndexes: those in <c>status.failedIndexes</c>, and those of pods not counted yet that fail theirs.</summary>
    public static SortedSet<int> Failed(V1Job job, V1JobStatus status, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        var completions = job.Spec.Completions ?? 0;
        var failed = JobCompletionIndex.Parse(status.FailedIndexes, completions);
        failed.UnionWith(pods.Where(p => JobTrackingFinalizer.Has(p) && FailsIndex(job, p)).Select(p => JobCompletionIndex.Of(p, completions)).OfType<int>());
        return failed;
    }

    /// <summary>
    /// kube's getPodsWithDelayedDeletionPerIndex: for each index still to run (neither succeeded, failed nor running), its
    /// latest failed pod not counted yet, which keeps its finalizer until its replacement exists, so that the replacement
    /// can take over its failure count.
    /// </summary>
    public static Dictionary<int, V1Pod> AwaitingReplacement(
        V1Job job, IEnumerable<V1Pod> pods, IReadOnlySet<string> awaitedRemovals, IReadOnlySet<int> succeeded, IReadOnlySet<int> failed, IEnumerable<V1Pod> active)
    {
        ArgumentNullException.ThrowIfNull(job);
        var completions = job.Spec.Completions ?? 0;
        var running = active.Select(p => JobCompletionIndex.Of(p, int.MaxValue)).OfType<int>().ToHashSet();
        var latest = new Dictionary<int, V1Pod>();
        foreach (var pod in pods.Where(p => JobTrackingFinalizer.Has(p) && !awaitedRemovals.Contains(p.Uid()) && UncountedPods.IsFailed(p, job)))
        {
            if (JobCompletionIndex.Of(pod, completions) is not { } index || succeeded.Contains(index) || failed.Contains(index) || running.Contains(index))
            {
                continue;
            }

            if (!latest.TryGetValue(index, out var other) ||
                (AllFailures(other) <= AllFailures(pod) && (JobMath.FinishedAt(pod) ?? default) >= (JobMath.FinishedAt(other) ?? default)))
            {
                latest[index] = pod;
            }
        }

        return latest;
    }

    /// <summary>
    /// How a job with per-index back-off fails by its indexes, in kube's order: more failed indexes than
    /// <c>maxFailedIndexes</c>, or every index finished and some failed.
    /// </summary>
    public static JobEnding? Ending(V1Job job, IReadOnlySet<int> failed, IReadOnlySet<int> succeeded)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(succeeded);
        if (job.Spec.MaxFailedIndexes is { } max && failed.Count > max)
        {
            return JobEnding.Failure(MaxFailedIndexesExceeded, MaxFailedIndexesExceededMessage);
        }

        return failed.Count > 0 && failed.Count + succeeded.Count >= job.Spec.Completions
            ? JobEnding.Failure(FailedIndexes, FailedIndexesMessage)
            : null;
    }

    /// <summary>kube's addIndexFailureCountAnnotation: the new pod of an index carries the counts of the one it replaces, one higher.</summary>
    public static void Inherit(V1Pod pod, V1Job job, V1Pod? replaced)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(job);
        var failures = replaced is null ? 0 : FailureCount(replaced);
        var ignored = replaced is null ? 0 : Annotation(replaced, IgnoredFailureCountKey);
        if (replaced is not null && UncountedPods.CountsAsFailure(job, replaced))
        {
            failures++;
        }
        else if (replaced is not null)
        {
            ignored++;
        }

        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[FailureCountKey] = failures.ToString(CultureInfo.InvariantCulture);
        if (ignored > 0)
        {
            pod.Metadata.Annotations[IgnoredFailureCountKey] = ignored.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>kube's getRemainingTimePerIndex: the index's back-off after its latest failed pod, by all the index's failures.</summary>
    public static TimeSpan RemainingBackoff(V1Pod? replaced, DateTimeOffset now) =>
        replaced is null ? TimeSpan.Zero : JobMath.RemainingBackoff(AllFailures(replaced) + 1, JobMath.FinishedAt(replaced), now);

    private static int Annotation(V1Pod pod, string key) =>
        pod.Metadata.Annotations?.TryGetValue(key, out var text) == true &&
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
}
