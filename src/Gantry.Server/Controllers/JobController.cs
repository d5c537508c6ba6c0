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
/// <c>backoffLimit</c> failures or <c>activeDeadlineSeconds</c>. Counts come from the pods that exist
/// (the job controller's tracking before pod finalizers), so a finished pod deleted by hand is no
/// longer counted. A suspended job runs no pods and has no startTime. Conditions, events and status
/// fields are those of Kubernetes 1.32, except that Complete and Failed come with SuccessCriteriaMet and
/// FailureTarget in the same write instead of after the job's pods have terminated. Indexed jobs give each
/// pod a completion index (<see cref="JobCompletionIndex"/>), and a pod failure policy decides how a failed
/// pod counts (<see cref="PodFailurePolicyRules"/>); per-index backoff limits are not implemented.
/// </summary>
public sealed class JobController : BackgroundService
{
    private const int Workers = 5;

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

    public JobController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<JobController> logger)
    {
        _informers = informers;
        _jobs = informers.For<V1Job>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _expectations = new ControllerExpectations(time);
        _podControl = new PodControl(client, events, _expectations, Component);
        _queue = new WorkQueue<string>(time);
        _jobs.OnChange((old, current) => _queue.Add(Key(current ?? old!)));
        _pods.OnChange(OnPodChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing job {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var job = _jobs.Get(key[..slash], key[(slash + 1)..]);
        if (job is null)
        {
            _expectations.Forget(key);
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
        var pods = _pods.ListInNamespace(job.Namespace()).Where(p => OwnerReferences.IsControlledBy(p.Metadata, job.Uid())).ToList();
        var active = pods.Where(PodState.IsActive).ToList();
        // An Indexed job counts each index once, however many of its pods succeeded.
        var succeededIndexes = JobCompletionIndex.IsIndexed(job) && job.Spec.Completions is { } completions
            ? pods.Where(p => p.Status?.Phase == "Succeeded").Select(p => JobCompletionIndex.Of(p, completions)).OfType<int>().ToHashSet()
            : null;
        var succeeded = succeededIndexes?.Count ?? pods.Count(p => p.Status?.Phase == "Succeeded");
        // The pod failure policy first: a failure it ignores is not counted, one it says fails the job fails it.
        var failedPods = new List<V1Pod>();
        string? policyFailure = null;
        foreach (var pod in pods.Where(p => p.Status?.Phase == "Failed"))
        {
            var match = PodFailurePolicyRules.Match(job.Spec.PodFailurePolicy, pod);
            if (match is { Action: PodFailurePolicyRules.FailJob } && policyFailure is null)
            {
                policyFailure = match.Value.Message;
            }

            if (match?.Action != PodFailurePolicyRules.Ignore)
            {
                failedPods.Add(pod);
            }
        }

        var failed = failedPods.Count;

        var status = KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(job.Status ?? new V1JobStatus()));
        if (!suspended)
        {
            status.StartTime ??= stamp;
        }

        var events = new List<(string Type, string Reason, string Message)>();
        var activeCount = active.Count;
        Exception? error = null;
        (string Reason, string Message)? failure = policyFailure is not null
            ? (PodFailurePolicyRules.Reason, policyFailure)
            : JobMath.Failure(job, failed, active.Sum(PodState.RestartCount), suspended ? null : StartedAt(status.StartTime!.Value), now);
        if (failure is { } ended)
        {
            error = await _podControl.DeleteAsync(key, job, active, ct).ConfigureAwait(false);
            failed += activeCount;
            activeCount = 0;
            JobConditions.Ensure(status, JobConditions.FailureTarget, true, ended.Reason, ended.Message, stamp);
            JobConditions.Ensure(status, JobConditions.Failed, true, ended.Reason, ended.Message, stamp);
            events.Add(("Warning", ended.Reason, ended.Message));
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
                (activeCount, error) = succeededIndexes is null
                    ? await ManageAsync(key, job, active, succeeded, failedPods, now, ct).ConfigureAwait(false)
                    : await ManageIndexedAsync(key, job, active, succeededIndexes, failedPods, now, ct).ConfigureAwait(false);
            }

            if (JobMath.IsComplete(job, succeeded, activeCount))
            {
                Completion(job, status, succeeded, activeCount, stamp, events);
            }
        }

        status.Active = activeCount == 0 ? null : activeCount;
        status.Succeeded = succeeded == 0 ? null : succeeded;
        status.Failed = failed == 0 ? null : failed;
        if (succeededIndexes is not null)
        {
            status.CompletedIndexes = JobCompletionIndex.Format(succeededIndexes);
        }

        status.Ready = active.Count(PodState.IsReady);
        status.Terminating = pods.Count(p => p.Metadata.DeletionTimestamp is not null && !PodState.IsTerminal(p));
        status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(job.Status ?? new V1JobStatus()))
        {
            try
            {
                // Written over the cached job's resourceVersion, as kube's UpdateStatus is: a sync that ran on a
                // copy older than a status already written (say the Failed one) gets a conflict instead of
                // overwriting it with its own recount, and the informer queues the job again with the newer copy.
                var updated = KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(job));
                updated.Status = status;
                await _client.UpdateAsync(updated, ct, "status").ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                return;
            }
        }

        // Only once the status that carries them is stored, so that a sync that lost the race records nothing.
        foreach (var (type, reason, message) in events)
        {
            _events.Record(job, type, reason, message, Component);
        }

        if (error is not null)
        {
            throw error;
        }
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

    private static void Completion(V1Job job, V1JobStatus status, int succeeded, int active, DateTime now, List<(string, string, string)> events)
    {
        if (job.Spec.Completions is { } completions)
        {
            if (active > 0)
            {
                events.Add(("Warning", "TooManyActivePods", "Too many active pods running after completion count reached"));
            }

            if (succeeded > completions)
            {
                events.Add(("Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached"));
            }
        }

        JobConditions.Ensure(status, JobConditions.SuccessCriteriaMet, true, JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, now);
        JobConditions.Ensure(status, JobConditions.Complete, true, JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, now);
        status.CompletionTime = now;
        events.Add(("Normal", "Completed", "Job completed"));
    }

    private async Task<(int Active, Exception? Error)> ManageAsync(
        string key, V1Job job, List<V1Pod> active, int succeeded, List<V1Pod> failedPods, DateTimeOffset now, CancellationToken ct)
    {
        var want = JobMath.WantActive(job, succeeded);
        if (active.Count > want)
        {
            var victims = PodDeletionOrder.Rank(active).Take(active.Count - want).ToList();
            var error = await _podControl.DeleteAsync(key, job, victims, ct).ConfigureAwait(false);
            return (want, error);
        }

        if (active.Count < want && job.Spec.Template is { } template)
        {
            var wait = JobMath.RemainingBackoff(failedPods.Count, failedPods.Select(JobMath.FinishedAt).Max(), now);
            if (wait > TimeSpan.Zero)
            {
                _queue.AddAfter(key, wait);
                return (active.Count, null);
            }

            var count = Math.Min(want - active.Count, ReplicaManager<V1Job>.BurstReplicas);
            var error = await _podControl.CreateAsync(key, job, count, () => PodControl.FromTemplate(job, template), ct).ConfigureAwait(false);
            return (active.Count + count, error);
        }

        return (active.Count, null);
    }

    /// <summary>
    /// An Indexed job's <see cref="ManageAsync"/>: one active pod for each of the lowest indexes not yet succeeded, at most
    /// parallelism. A pod without a valid index, of an index that has succeeded, or a second of an index is deleted.
    /// </summary>
    private async Task<(int Active, Exception? Error)> ManageIndexedAsync(
        string key, V1Job job, List<V1Pod> active, HashSet<int> succeeded, List<V1Pod> failedPods, DateTimeOffset now, CancellationToken ct)
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
            var error = await _podControl.DeleteAsync(key, job, surplus, ct).ConfigureAwait(false);
            return (Math.Min(kept.Count, want), error);
        }

        if (kept.Count < want && job.Spec.Template is { } template)
        {
            var wait = JobMath.RemainingBackoff(failedPods.Count, failedPods.Select(JobMath.FinishedAt).Max(), now);
            if (wait > TimeSpan.Zero)
            {
                _queue.AddAfter(key, wait);
                return (kept.Count, null);
            }

            var pending = new ConcurrentQueue<int>(Enumerable.Range(0, completions).Where(i => !succeeded.Contains(i) && !running.Contains(i))
                .Take(Math.Min(want - kept.Count, ReplicaManager<V1Job>.BurstReplicas)));
            var count = pending.Count;
            var error = await _podControl.CreateAsync(key, job, count, () => PodControl.FromTemplate(job, template, pod =>
            {
                pending.TryDequeue(out var index);
                JobCompletionIndex.Assign(pod, job.Name(), index);
            }), ct).ConfigureAwait(false);
            return (kept.Count + count, error);
        }

        return (kept.Count, null);
    }

    private void OnPodChange(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
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

        _queue.Add(key);
    }

    private static DateTimeOffset StartedAt(DateTime startTime) => new(DateTime.SpecifyKind(startTime, DateTimeKind.Utc));

    private static DateTime Truncate(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static string Key(V1Job job) => $"{job.Namespace()}/{job.Name()}";
}
