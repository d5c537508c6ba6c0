using System.Collections.Concurrent;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' job controller: runs pods from the job's template until <c>completions</c> succeed,
/// at most <c>parallelism</c> at a time, and fails the job (deleting its running pods) past
/// <c>backoffLimit</c> failures or <c>activeDeadlineSeconds</c>. Its pods carry the <see cref="JobTrackingFinalizer"/>,
/// and the counts are those of the job's status plus the finished pods not counted yet (<see cref="UncountedPods"/>),
/// so a finished pod is counted once, even if it is deleted afterwards; a pod whose job is gone or finished loses the
/// finalizer on the orphan queue, so that it can go. A suspended job runs no pods and has no startTime. Conditions,
/// events and status fields are those of Kubernetes 1.32: the interim SuccessCriteriaMet or FailureTarget comes first, and
/// Complete or Failed once every finished pod is counted and none of the job's pods is terminating any more, so that a
/// job seen finished has no pod still running. Indexed jobs give each pod a completion
/// index (<see cref="JobCompletionIndex"/>), and may bound the failures of each index instead of the job's
/// (<see cref="JobIndexFailures"/>); a pod failure policy decides how a failed pod counts (<see cref="PodFailurePolicyRules"/>).
/// </summary>
public sealed class JobController : BackgroundService
{
    private const int Workers = 5;

    /// <summary>
    /// kube's syncJobBatchPeriod: a pod's change syncs its job a second later, so that a burst of pod changes is one sync,
    /// and the job's own informer has caught up with the status the last sync wrote before the pods' changes that
    /// followed it (finalizers removed once counted) are looked at. The job's own changes sync at once.
    /// </summary>
    private static readonly TimeSpan SyncJobBatchPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The source of its events, as kube names the controller.</summary>
    private const string Component = "job-controller";

    private readonly SharedInformers _informers;
    private readonly Informer<V1Job> _jobs;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly ControllerExpectations _expectations;
    private readonly PodControl _podControl;
    private readonly TimeProvider _time;
    private readonly ILogger<JobController> _logger;
    private readonly WorkQueue<string> _queue;
    private readonly FinalizerExpectations _finalizerExpectations = new();

    /// <summary>The revision of the status each job's last sync wrote: no sync runs on an older copy of the job.</summary>
    private readonly ConcurrentDictionary<string, long> _written = new();
    private readonly JobOrphanPods _orphans;

    public JobController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<JobController> logger)
    {
        _informers = informers;
        _jobs = informers.For<V1Job>();
        _pods = informers.For<V1Pod>();
        PodsByController.AddTo(_pods);
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _expectations = new ControllerExpectations(time);
        _podControl = new PodControl(client, events, _expectations, Component);
        _queue = new WorkQueue<string>(time);
        _orphans = new JobOrphanPods(_jobs, _pods, client, time);
        _jobs.OnChange((old, current) =>
        {
            _queue.Add(Key(current ?? old!));
            _orphans.OnJobChange(old, current);
        });
        _pods.OnChange(OnPodChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing job {Key} failed", key), stoppingToken),
        _orphans.RunAsync(_informers, (key, ex) => _logger.LogWarning(ex, "Releasing orphan pod {Key} failed", key), stoppingToken));

    internal async Task SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var job = _jobs.Get(key[..slash], key[(slash + 1)..]);
        if (job is null)
        {
            _expectations.Forget(key);
            _finalizerExpectations.Forget(key);
            _written.TryRemove(key, out _);
            return;
        }

        // A copy older than the last status written would miss what that status counted, once the pods' informer shows
        // their finalizers gone, and run their indexes again. Kube's controller relies on delaying syncs after pod events
        // by a second; here the informers deliver at once, so the job's own informer is awaited: it queues the job again.
        if (_written.TryGetValue(key, out var written) && Revision(job) < written)
        {
            return;
        }

        if (JobConditions.IsFinished(job.Status))
        {
            return;
        }

        var needsSync = _expectations.Satisfied(key);
        var now = _time.GetUtcNow();
        var stamp = Truncate(now);
        var suspended = job.Spec.Suspend == true;
        var pods = PodsByController.Owned(_pods, job);
        var active = pods.Where(PodState.IsActive).ToList();
        var status = KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(job.Status ?? new V1JobStatus()));
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        var awaited = _finalizerExpectations.Expected(key);
        var (newSucceeded, newFailed) = UncountedPods.NewFinished(job, pods, uncounted, awaited);
        var succeeded = (status.Succeeded ?? 0) + newSucceeded.Count + (uncounted.Succeeded?.Count ?? 0);
        var failed = (status.Failed ?? 0) + newFailed.Count(p => UncountedPods.CountsAsFailure(job, p)) + (uncounted.Failed?.Count ?? 0);

        // An Indexed job counts each index once, however many of its pods succeeded.
        SortedSet<int>? previousIndexes = null;
        SortedSet<int>? succeededIndexes = null;
        SortedSet<int>? failedIndexes = null;
        var completions = job.Spec.Completions ?? 0;
        if (JobCompletionIndex.IsIndexed(job) && job.Spec.Completions is not null)
        {
            previousIndexes = JobCompletionIndex.Parse(status.CompletedIndexes, completions);
            succeededIndexes = new SortedSet<int>(previousIndexes);
            // A succeeded pod that lost its finalizer has its index in completedIndexes, unless this copy of the job predates
            // the status that recorded it; either way its index has succeeded and must not run again.
            succeededIndexes.UnionWith(pods.Where(p => p.Status?.Phase == "Succeeded")
                .Select(p => JobCompletionIndex.Of(p, completions)).OfType<int>());
            succeeded = succeededIndexes.Count;
            failedIndexes = JobIndexFailures.HasBackoffLimitPerIndex(job) ? JobIndexFailures.Failed(job, status, pods) : null;
        }

        if (!suspended)
        {
            status.StartTime ??= stamp;
        }

        var events = new List<(string Type, string Reason, string Message)>();
        var activeCount = active.Count;
        var deleted = 0;
        Exception? error = null;
        var ending = Ending(job, status, pods, failed, active, suspended ? null : StartedAt(status.StartTime!.Value), now)
                     ?? (failedIndexes is null ? null : JobIndexFailures.Ending(job, failedIndexes, succeededIndexes!));
        var awaitingReplacement = failedIndexes is null
            ? []
            : JobIndexFailures.AwaitingReplacement(job, pods, awaited, succeededIndexes!, failedIndexes, active);
        if (ending is not null)
        {
            // kube's deleteActivePods: they keep their finalizer, so that the pass below counts them.
            error = active.Count == 0 ? null : await _podControl.DeleteAsync(key, job, active, ct).ConfigureAwait(false);
            if (error is null && needsSync)
            {
                activeCount = 0;
                deleted = active.Count;
            }
            else
            {
                // A pod not deleted, or not yet seen, would be left out of the final counts.
                ending = null;
            }
        }
        else
        {
            Suspension(status, suspended, stamp, events);
            if (job.Spec.ActiveDeadlineSeconds is { } deadline && status.StartTime is { } start)
            {
                _queue.AddAfter(key, StartedAt(start).AddSeconds(deadline) - now);
            }

            if (needsSync && job.Metadata.DeletionTimestamp is null)
            {
                // The failed pods that still exist, less those the failure policy ignores, hold back new pods.
                var failedPods = pods.Where(p => UncountedPods.IsFailed(p, job) && UncountedPods.CountsAsFailure(job, p)).ToList();
                (activeCount, deleted, error) = succeededIndexes is null
                    ? await ManageAsync(key, job, active, succeeded, failedPods, now, ct).ConfigureAwait(false)
                    : await ManageIndexedAsync(key, job, active, succeededIndexes, failedIndexes ?? [], awaitingReplacement, failedPods, now, ct)
                        .ConfigureAwait(false);
            }

            if (JobMath.IsComplete(job, succeeded, activeCount))
            {
                ending = new JobEnding(false, JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage);
            }
        }

        status.Active = activeCount;
        status.Ready = active.Count(PodState.IsReady);
        // The pods this sync deleted are terminating too, though the informer does not show it yet (kube's terminating += deleted).
        status.Terminating = pods.Count(p => p.Metadata.DeletionTimestamp is not null && !PodState.IsTerminal(p)) + deleted;
        var withFinalizer = pods.Where(p => JobTrackingFinalizer.Has(p) && !awaited.Contains(p.Uid())).Select(p => p.Uid()).ToHashSet();
        UncountedPods.Count(status, withFinalizer);
        var release = UncountedPods.Plan(job, status, pods, awaited, ending, previousIndexes ?? [],
            p => JobCompletionIndex.Of(p, completions) is { } index && awaitingReplacement.GetValueOrDefault(index)?.Uid() == p.Uid());
        if (succeededIndexes is not null)
        {
            succeededIndexes.UnionWith(release.SucceededIndexes);
            status.Succeeded = succeededIndexes.Count;
            status.CompletedIndexes = JobCompletionIndex.Format(succeededIndexes);
            status.FailedIndexes = failedIndexes is null ? null : JobCompletionIndex.Format(failedIndexes) ?? "";
        }

        if (ending is not null)
        {
            JobConditions.Ensure(status, ending.InterimType, true, ending.Reason, ending.Message, stamp);
        }

        // What the released pods add is stored before their finalizers go, so that none is lost if this sync stops there.
        var stored = release.Pods.Count == 0 ? job : await WriteAsync(key, job, status, events, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var (released, releaseError) = await ReleaseAsync(key, release.Pods, ct).ConfigureAwait(false);
        withFinalizer.ExceptWith(released);
        UncountedPods.Count(status, withFinalizer);
        if (ending is not null && releaseError is null && !release.ReachedMax && UncountedPods.IsEmpty(status.UncountedTerminatedPods)
            && status.Terminating == 0)
        {
            Finish(job, status, ending, activeCount, stamp, events);
        }

        if (await WriteAsync(key, stored, status, events, ct).ConfigureAwait(false) is not null && (releaseError ?? error) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// How the job is about to finish, in kube's order: as an earlier sync decided (SuccessCriteriaMet or FailureTarget
    /// stored), by a failed pod matching a FailJob rule, past the backoff limit, or past the deadline.
    /// </summary>
    private static JobEnding? Ending(V1Job job, V1JobStatus status, List<V1Pod> pods, int failed, List<V1Pod> active, DateTimeOffset? start, DateTimeOffset now)
    {
        var decided = (status.Conditions ?? []).FirstOrDefault(c => c.Status == "True" && c.Type is JobConditions.SuccessCriteriaMet or JobConditions.FailureTarget);
        if (decided is not null)
        {
            return new JobEnding(decided.Type == JobConditions.FailureTarget, decided.Reason ?? "", decided.Message ?? "");
        }

        var failJob = pods.Where(p => UncountedPods.IsFailed(p, job)).Select(p => PodFailurePolicyRules.Match(job.Spec.PodFailurePolicy, p))
            .FirstOrDefault(m => m?.Action == PodFailurePolicyRules.FailJob);
        if (failJob is { } match)
        {
            return JobEnding.Failure(PodFailurePolicyRules.Reason, match.Message);
        }

        return JobMath.Failure(job, failed, active.Sum(PodState.RestartCount), start, now) is { } failure
            ? JobEnding.Failure(failure.Reason, failure.Message)
            : null;
    }

    /// <summary>
    /// Stores <paramref name="status"/> if it differs from <paramref name="stored"/>'s, then records the events it carries;
    /// the job as stored, or null when another write came first (the informer queues the job again with it) or the job is gone.
    /// </summary>
    private async Task<V1Job?> WriteAsync(
        string key, V1Job stored, V1JobStatus status, List<(string Type, string Reason, string Message)> events, CancellationToken ct)
    {
        OmitZeros(status);
        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(stored.Status ?? new V1JobStatus()))
        {
            try
            {
                // Written over the cached job's resourceVersion, as kube's UpdateStatus is: a sync that ran on a
                // copy older than a status already written (say the Failed one) gets a conflict instead of
                // overwriting it with its own recount, and the informer queues the job again with the newer copy.
                var updated = KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(stored));
                updated.Status = KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(status));
                stored = await _client.UpdateAsync(updated, ct, "status").ConfigureAwait(false);
                _written[key] = Revision(stored);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                return null;
            }
        }

        // Only once the status that carries them is stored, so that a sync that lost the race records nothing.
        foreach (var (type, reason, message) in events)
        {
            _events.Record(stored, type, reason, message, Component);
        }

        events.Clear();
        return stored;
    }

    /// <summary>Counts of zero and empty uid lists are left out, as kube's omitempty does; ready and terminating are always written.</summary>
    private static void OmitZeros(V1JobStatus status)
    {
        status.Active = status.Active is 0 ? null : status.Active;
        status.Succeeded = status.Succeeded is 0 ? null : status.Succeeded;
        status.Failed = status.Failed is 0 ? null : status.Failed;
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        uncounted.Succeeded = uncounted.Succeeded is { Count: > 0 } ? uncounted.Succeeded : null;
        uncounted.Failed = uncounted.Failed is { Count: > 0 } ? uncounted.Failed : null;
    }

    /// <summary>
    /// kube's removeTrackingFinalizerFromPods: each removal is awaited before it is made, so that a sync on a copy from
    /// before it does not count the pod again; one that failed is not. The uids released, and the first failure.
    /// </summary>
    private async Task<(HashSet<string> Released, Exception? Error)> ReleaseAsync(string key, List<V1Pod> pods, CancellationToken ct)
    {
        if (pods.Count == 0)
        {
            return ([], null);
        }

        _finalizerExpectations.Expect(key, pods.Select(p => p.Uid()));
        var errors = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await JobTrackingFinalizer.RemoveAsync(_client, pod, ct).ConfigureAwait(false);
                return null;
            }
            catch (ApiException ex)
            {
                _finalizerExpectations.Observed(key, pod.Uid());
                return ex;
            }
        })).ConfigureAwait(false);
        return (pods.Where((_, i) => errors[i] is null).Select(p => p.Uid()).ToHashSet(), errors.FirstOrDefault(e => e is not null));
    }

    /// <summary>
    /// The Suspended condition and startTime: a suspended job has no startTime (its deadline does not run),
    /// and a resumed one starts anew, since activeDeadlineSeconds counts the time it is continuously active.
    /// </summary>
    private static void Suspension(V1JobStatus status, bool suspended, DateTime now, List<(string, string, string)> events)
    {
        if (suspended)
        {
            status.StartTime = null;
            if (JobConditions.Ensure(status, JobConditions.Suspended, true, JobConditions.JobSuspended, JobConditions.JobSuspendedMessage, now))
            {
                events.Add(("Normal", "Suspended", JobConditions.JobSuspendedMessage));
            }

            return;
        }

        if (JobConditions.Ensure(status, JobConditions.Suspended, false, JobConditions.JobResumed, JobConditions.JobResumedMessage, now))
        {
            events.Add(("Normal", "Resumed", JobConditions.JobResumedMessage));
            status.StartTime = now;
        }
    }

    /// <summary>
    /// The terminal condition, once every finished pod is counted and no pod is terminating, with its event (kube's
    /// enactJobFinished): a client that waits for Complete or Failed finds none of the job's pods still running.
    /// </summary>
    private static void Finish(V1Job job, V1JobStatus status, JobEnding ending, int active, DateTime now, List<(string, string, string)> events)
    {
        JobConditions.Ensure(status, ending.TerminalType, true, ending.Reason, ending.Message, now);
        if (ending.Failed)
        {
            events.Add(("Warning", ending.Reason, ending.Message));
            return;
        }

        if (job.Spec.Completions is { } completions)
        {
            if (active > 0)
            {
                events.Add(("Warning", "TooManyActivePods", "Too many active pods running after completion count reached"));
            }

            if (status.Succeeded > completions)
            {
                events.Add(("Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached"));
            }
        }

        status.CompletionTime = now;
        events.Add(("Normal", "Completed", "Job completed"));
    }

    /// <summary>kube's manageJob: the active pods after it, how many of them it deleted, and the first failure.</summary>
    private async Task<(int Active, int Deleted, Exception? Error)> ManageAsync(
        string key, V1Job job, List<V1Pod> active, int succeeded, List<V1Pod> failedPods, DateTimeOffset now, CancellationToken ct)
    {
        var want = JobMath.WantActive(job, succeeded);
        if (active.Count > want)
        {
            var victims = PodDeletionOrder.Rank(active).Take(active.Count - want).ToList();
            var (deleted, error) = await DeleteUnwantedAsync(key, job, victims, ct).ConfigureAwait(false);
            return (active.Count - deleted, deleted, error);
        }

        if (active.Count < want && job.Spec.Template is { } template)
        {
            var wait = JobMath.RemainingBackoff(failedPods.Count, failedPods.Select(JobMath.FinishedAt).Max(), now);
            if (wait > TimeSpan.Zero)
            {
                _queue.AddAfter(key, wait);
                return (active.Count, 0, null);
            }

            var count = Math.Min(want - active.Count, ReplicaManager<V1Job>.BurstReplicas);
            var error = await _podControl.CreateAsync(key, job, count, () => PodControl.FromTemplate(job, template, JobTrackingFinalizer.Add), ct)
                .ConfigureAwait(false);
            return (active.Count + count, 0, error);
        }

        return (active.Count, 0, null);
    }

    /// <summary>
    /// An Indexed job's <see cref="ManageAsync"/>: one active pod for each of the lowest indexes neither succeeded nor failed,
    /// at most parallelism. A pod without a valid index, of an index that has succeeded, or a second of an index is deleted.
    /// With per-index back-off, each index waits out its own, and its new pod takes over the failure count of the failed
    /// pod <paramref name="awaitingReplacement"/> holds for it.
    /// </summary>
    private async Task<(int Active, int Deleted, Exception? Error)> ManageIndexedAsync(string key, V1Job job, List<V1Pod> active, SortedSet<int> succeeded,
        SortedSet<int> failed, Dictionary<int, V1Pod> awaitingReplacement, List<V1Pod> failedPods, DateTimeOffset now, CancellationToken ct)
    {
        var completions = job.Spec.Completions!.Value;
        var running = new HashSet<int>();
        var kept = new List<V1Pod>();
        var surplus = new List<V1Pod>();
        foreach (var pod in active.OrderBy(p => p.Metadata.CreationTimestamp))
        {
            var index = JobCompletionIndex.Of(pod, completions);
            (index is { } i && !succeeded.Contains(i) && running.Add(i) ? kept : surplus).Add(pod);
        }

        var want = JobMath.WantActive(job, succeeded.Count);
        surplus.AddRange(PodDeletionOrder.Rank(kept).Take(Math.Max(0, kept.Count - want)));
        if (surplus.Count > 0)
        {
            var (deleted, error) = await DeleteUnwantedAsync(key, job, surplus, ct).ConfigureAwait(false);
            return (active.Count - deleted, deleted, error);
        }

        if (kept.Count >= want || job.Spec.Template is not { } template)
        {
            return (kept.Count, 0, null);
        }

        var perIndex = JobIndexFailures.HasBackoffLimitPerIndex(job);
        var wait = perIndex ? TimeSpan.Zero : JobMath.RemainingBackoff(failedPods.Count, failedPods.Select(JobMath.FinishedAt).Max(), now);
        var indexes = Enumerable.Range(0, completions).Where(i => !succeeded.Contains(i) && !running.Contains(i) && !failed.Contains(i))
            .Take(Math.Min(want - kept.Count, ReplicaManager<V1Job>.BurstReplicas)).ToList();
        if (perIndex && indexes.Count > 0)
        {
            // kube's getPodCreationInfoForIndependentIndexes: those whose back-off is over, else a sync when the first one's is.
            var waits = indexes.ToDictionary(i => i, i => JobIndexFailures.RemainingBackoff(awaitingReplacement.GetValueOrDefault(i), now));
            indexes = [.. indexes.Where(i => waits[i] <= TimeSpan.Zero)];
            wait = indexes.Count == 0 ? waits.Values.Min() : TimeSpan.Zero;
        }

        if (wait > TimeSpan.Zero)
        {
            _queue.AddAfter(key, wait);
            return (kept.Count, 0, null);
        }

        if (indexes.Count == 0)
        {
            return (kept.Count, 0, null);
        }

        var pending = new ConcurrentQueue<int>(indexes);
        var created = await _podControl.CreateAsync(key, job, indexes.Count, () => PodControl.FromTemplate(job, template, pod =>
        {
            pending.TryDequeue(out var index);
            JobCompletionIndex.Assign(pod, job.Name(), index);
            if (perIndex)
            {
                JobIndexFailures.Inherit(pod, job, awaitingReplacement.GetValueOrDefault(index));
            }

            JobTrackingFinalizer.Add(pod);
        }), ct).ConfigureAwait(false);
        return (kept.Count + indexes.Count, 0, created);
    }

    /// <summary>
    /// kube's deleteJobPods: a pod the job no longer wants (surplus, or the job suspended) loses its finalizer before it
    /// is deleted, so that it is never counted as failed; one whose finalizer could not be removed is not deleted yet.
    /// How many were deleted (none when a deletion failed, since which did is not known), and the first failure.
    /// </summary>
    private async Task<(int Deleted, Exception? Error)> DeleteUnwantedAsync(string key, V1Job job, List<V1Pod> pods, CancellationToken ct)
    {
        var errors = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await JobTrackingFinalizer.RemoveAsync(_client, pod, ct).ConfigureAwait(false);
                return null;
            }
            catch (ApiException ex)
            {
                return ex;
            }
        })).ConfigureAwait(false);
        var released = pods.Where((_, i) => errors[i] is null).ToList();
        var error = released.Count == 0 ? null : await _podControl.DeleteAsync(key, job, released, ct).ConfigureAwait(false);
        return (error is null ? released.Count : 0, errors.FirstOrDefault(e => e is not null) ?? error);
    }

    /// <summary>One turn of the orphan queue, for tests that drive it by hand.</summary>
    internal Task ReleaseOrphanAsync(string key, CancellationToken ct) => _orphans.ReleaseAsync(key, ct);

    private void OnPodChange(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        _orphans.OnPodChange(current);

        if (OwnerReferences.ControllerOf(pod.Metadata) is not { Kind: "Job" } owner)
        {
            return;
        }

        var key = $"{pod.Namespace()}/{owner.Name}";
        if (old is null)
        {
            _expectations.CreationObserved(key);
        }

        if (current is null || (current.Metadata.DeletionTimestamp is not null && old?.Metadata.DeletionTimestamp is null))
        {
            _expectations.DeletionObserved(key, PodControl.Key(pod));
        }

        if (current is null || !JobTrackingFinalizer.Has(current))
        {
            _finalizerExpectations.Observed(key, pod.Uid());
        }

        _queue.AddAfter(key, SyncJobBatchPeriod);
    }

    private static DateTimeOffset StartedAt(DateTime startTime) => new(DateTime.SpecifyKind(startTime, DateTimeKind.Utc));

    private static DateTime Truncate(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static long Revision(V1Job job) => long.Parse(job.ResourceVersion(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Key(V1Job job) => $"{job.Namespace()}/{job.Name()}";
}
