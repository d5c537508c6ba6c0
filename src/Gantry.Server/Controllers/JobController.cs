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
/// longer counted. Indexed completion and pod failure policies are not implemented.
/// </summary>
public sealed class JobController : BackgroundService
{
    private const int Workers = 5;

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
        _podControl = new PodControl(client, events, _expectations);
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

        if (IsFinished(job))
        {
            return;
        }

        var needsSync = _expectations.Satisfied(key);
        var now = _time.GetUtcNow();
        var stamp = Truncate(now);
        var pods = _pods.ListInNamespace(job.Namespace()).Where(p => OwnerReferences.IsControlledBy(p.Metadata, job.Uid())).ToList();
        var active = pods.Where(PodState.IsActive).ToList();
        var succeeded = pods.Count(p => p.Status?.Phase == "Succeeded");
        var failedPods = pods.Where(p => p.Status?.Phase == "Failed").ToList();
        var failed = failedPods.Count;

        var status = KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(job.Status ?? new V1JobStatus()));
        status.StartTime ??= stamp;
        var started = new DateTimeOffset(DateTime.SpecifyKind(status.StartTime.Value, DateTimeKind.Utc));
        if (job.Spec.ActiveDeadlineSeconds is { } deadline)
        {
            _queue.AddAfter(key, started.AddSeconds(deadline) - now);
        }

        var activeCount = active.Count;
        Exception? error = null;
        if (JobMath.Failure(job, failed, active.Sum(PodState.RestartCount), started, now) is { } failure)
        {
            error = await _podControl.DeleteAsync(key, job, active, ct).ConfigureAwait(false);
            failed += activeCount;
            activeCount = 0;
            AddCondition(status, "Failed", failure.Reason, failure.Message, stamp);
            _events.Record(job, "Warning", failure.Reason, failure.Message);
        }
        else
        {
            if (needsSync && job.Metadata.DeletionTimestamp is null)
            {
                (activeCount, error) = await ManageAsync(key, job, active, succeeded, failedPods, now, ct).ConfigureAwait(false);
            }

            if (JobMath.IsComplete(job, succeeded, activeCount))
            {
                if (job.Spec.Completions is { } completions)
                {
                    if (activeCount > 0)
                    {
                        _events.Record(job, "Warning", "TooManyActivePods", "Too many active pods running after completion count reached");
                    }

                    if (succeeded > completions)
                    {
                        _events.Record(job, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
                    }
                }

                AddCondition(status, "Complete", null, null, stamp);
                status.CompletionTime = stamp;
                _events.Record(job, "Normal", "Completed", "Job completed");
            }
        }

        status.Active = activeCount == 0 ? null : activeCount;
        status.Succeeded = succeeded == 0 ? null : succeeded;
        status.Failed = failed == 0 ? null : failed;
        status.Ready = active.Count(PodState.IsReady);
        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(job.Status ?? new V1JobStatus()))
        {
            try
            {
                await _client.MutateAsync<V1Job>(job.Namespace(), job.Name(), current => current.Status = status, ct, "status").ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                return;
            }
        }

        if (error is not null)
        {
            throw error;
        }
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

    private static void AddCondition(V1JobStatus status, string type, string? reason, string? message, DateTime now)
    {
        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != type),
            new V1JobCondition { Type = type, Status = "True", Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now }];
    }

    private static bool IsFinished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private static DateTime Truncate(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static string Key(V1Job job) => $"{job.Namespace()}/{job.Name()}";
}
