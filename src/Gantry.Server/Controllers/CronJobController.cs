using System.Globalization;
using Gantry.Core.Cron;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' cronjob controller (v2): each CronJob is looked at when it or one of its jobs changes, and again at its
/// next scheduled time. Then it forgets its finished jobs, cleans up those past the history limits, and, unless
/// suspended, creates the Job of the latest scheduled time not yet run (named for that time in minutes since the
/// epoch, so that a time never runs twice), within the starting deadline and as the concurrency policy allows.
/// Events and their wording are kube's. Without <c>spec.timeZone</c>, the schedule is read in the server's local time
/// zone, as kube reads it in the controller manager's.
/// </summary>
public sealed class CronJobController : BackgroundService
{
    private const int Workers = 5;

    /// <summary>The source of its events, as kube names the controller.</summary>
    private const string Component = "cronjob-controller";

    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private static readonly ResourceType CronJobs = ResourceCatalog.Get("batch", "cronjobs");
    private static readonly ResourceType Jobs = ResourceCatalog.Get("batch", "jobs");

    private readonly SharedInformers _informers;
    private readonly Informer<V1CronJob> _cronJobs;
    private readonly Informer<V1Job> _jobs;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _localZone;
    private readonly ILogger<CronJobController> _logger;
    private readonly WorkQueue<string> _queue;

    public CronJobController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<CronJobController> logger)
        : this(informers, client, events, time, TimeZoneInfo.Local, logger)
    {
    }

    /// <summary>A controller that reads schedules without a time zone in <paramref name="localZone"/>.</summary>
    internal CronJobController(
        SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, TimeZoneInfo localZone, ILogger<CronJobController> logger)
    {
        _informers = informers;
        _cronJobs = informers.For<V1CronJob>();
        _jobs = informers.For<V1Job>();
        _client = client;
        _events = events;
        _time = time;
        _localZone = localZone;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _cronJobs.OnChange(OnCronJobChange);
        _jobs.OnChange((old, current) =>
        {
            // A job moved from one CronJob to another wakes both.
            foreach (var job in new[] { old, current }.OfType<V1Job>())
            {
                if (OwnerReferences.ControllerOf(job.Metadata) is { Kind: "CronJob" } owner
                    && _cronJobs.Get(job.Namespace(), owner.Name) is { } cronJob && cronJob.Uid() == owner.Uid)
                {
                    _queue.Add(Key(cronJob));
                }
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(_informers, Workers, async (key, ct) =>
        {
            if (await SyncAsync(key, ct).ConfigureAwait(false) is { } requeue)
            {
                _queue.AddAfter(key, requeue);
            }
        }, (key, ex) => _logger.LogWarning(ex, "Syncing cronjob {Key} failed", key), stoppingToken);

    /// <summary>One reconciliation of the CronJob at <paramref name="key"/>; returns when to look at it again, if ever.</summary>
    internal async Task<TimeSpan?> SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (_cronJobs.Get(key[..slash], key[(slash + 1)..]) is not { } cached)
        {
            return null;
        }

        // Changes gather on a copy and are written in one status update, as kube does.
        var cronJob = Copy(cached);
        cronJob.Status ??= new V1CronJobStatus();
        var jobs = _jobs.ListInNamespace(cronJob.Namespace())
            .Where(j => OwnerReferences.ControllerOf(j.Metadata) is { Kind: "CronJob" } owner && owner.Name == cronJob.Name())
            .ToList();
        var changed = await CleanUpFinishedJobsAsync(cronJob, jobs, ct).ConfigureAwait(false);
        var (requeue, synced, written) = await SyncCronJobAsync(cronJob, jobs, ct).ConfigureAwait(false);
        if (changed || synced)
        {
            var status = written.Status;
            if (status.Active is { Count: 0 })
            {
                status.Active = null;
            }

            // Over the cached resourceVersion: a CronJob changed meanwhile fails with 409 and is synced again.
            await _client.UpdateAsync(written, ct, "status").ConfigureAwait(false);
        }

        return requeue;
    }

    /// <summary>kube's <c>syncCronJob</c>; returns the copy of the CronJob whose status to write, should it have changed.</summary>
    private async Task<(TimeSpan? Requeue, bool Changed, V1CronJob CronJob)> SyncCronJobAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var changed = ReconcileJobs(ref cronJob, jobs);
        changed |= ForgetMissingJobs(cronJob, jobs);
        var spec = cronJob.Spec;
        if (cronJob.Metadata.DeletionTimestamp is not null)
        {
            return (null, changed, cronJob);
        }

        if (spec.TimeZone is { } timeZone && TimeZones.Find(timeZone) is null)
        {
            Record(cronJob, "Warning", "UnknownTimeZone", $"invalid timeZone: \"{timeZone}\": unknown time zone {timeZone}");
            return (null, changed, cronJob);
        }

        if (spec.Suspend == true)
        {
            return (null, changed, cronJob);
        }

        ICronSchedule schedule;
        try
        {
            schedule = Parse(cronJob, warn: true);
        }
        catch (CronFormatException ex)
        {
            Record(cronJob, "Warning", "UnparseableSchedule", $"unparseable schedule: \"{spec.Schedule}\" : {ex.Message}");
            return (null, changed, cronJob);
        }

        var status = cronJob.Status;
        var lookup = CronJobScheduleMath.MostRecent(schedule, Earliest(cronJob), spec.StartingDeadlineSeconds, now);
        if (lookup.Error is not null)
        {
            Record(cronJob, "Warning", "InvalidSchedule", $"invalid schedule: {spec.Schedule} : {lookup.Error}");
            return (null, changed, cronJob);
        }

        var untilNext = CronJobScheduleMath.UntilNext(schedule, Earliest(cronJob), now);
        if (lookup.MostRecent is not { } scheduled || scheduled > now)
        {
            return (untilNext, changed, cronJob);
        }

        if (lookup.Missed > CronJobScheduleMath.ManyMissed)
        {
            Record(cronJob, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }

        if (spec.StartingDeadlineSeconds is { } deadline && scheduled.AddSeconds(deadline) < now)
        {
            Record(cronJob, "Warning", "MissSchedule",
                $"Missed scheduled time to start a job: {scheduled.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000");
            return (untilNext, changed, cronJob);
        }

        var name = JobName(cronJob, scheduled);
        if ((status.Active ?? []).Any(r => r.Name == name && r.NamespaceProperty == cronJob.Namespace()) || Utc(status.LastScheduleTime) == scheduled)
        {
            return (untilNext, changed, cronJob);
        }

        if (spec.ConcurrencyPolicy == "Forbid" && status.Active is { Count: > 0 })
        {
            Record(cronJob, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return (untilNext, changed, cronJob);
        }

        if (spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var reference in (status.Active ?? []).ToList())
            {
                if (StoredJob(reference.NamespaceProperty, reference.Name) is not { } active)
                {
                    var message = $"jobs.batch \"{reference.Name}\" not found";
                    Record(cronJob, "Warning", "FailedGet", $"Get job: {message}");
                    throw new ApiException(404, "NotFound", message);
                }

                if (!await DeleteJobAsync(cronJob, active, ct).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"could not replace job {active.Namespace()}/{active.Name()}");
                }

                changed = true;
            }
        }

        V1Job created;
        try
        {
            created = await _client.CreateAsync(JobFor(cronJob, scheduled), ct).ConfigureAwait(false);
            Record(cronJob, "Normal", "SuccessfulCreate", $"Created job {created.Name()}");
        }
        catch (ApiException ex) when (ex.Reason == "AlreadyExists")
        {
            // Created by an earlier sync whose status update was lost: add it to the active list, if it is ours.
            if (StoredJob(cronJob.Namespace(), name) is not { } existing || !OwnerReferences.IsControlledBy(existing.Metadata, cronJob.Uid())
                || (status.Active ?? []).Any(r => r.Uid == existing.Uid()))
            {
                return (null, changed, cronJob);
            }

            created = existing;
        }
        catch (ApiException ex) when (ex.Code != 409)
        {
            Record(cronJob, "Warning", "FailedCreate", $"Error creating job: {ex.Message}");
            throw;
        }

        (status.Active ??= []).Add(Reference(created));
        status.LastScheduleTime = scheduled.UtcDateTime;
        return (CronJobScheduleMath.UntilNext(schedule, Earliest(cronJob), now), true, cronJob);
    }

    /// <summary>
    /// Notes each job against the active list: an unfinished job missing from it is unexpected (unless the stored
    /// CronJob lists it, which the cached copy may be too old to show), a finished one in it is dropped from it, and a
    /// succeeded one moves lastSuccessfulTime on.
    /// </summary>
    private bool ReconcileJobs(ref V1CronJob cronJob, List<V1Job> jobs)
    {
        var changed = false;
        foreach (var job in jobs)
        {
            var listed = IsActive(cronJob, job.Uid());
            var finished = FinishedAs(job);
            if (!listed && finished is null)
            {
                if (StoredCronJob(cronJob) is { } stored && IsActive(stored, job.Uid()))
                {
                    // kube goes on with the stored copy, and so writes its status, not the cached one's.
                    stored.Status ??= new V1CronJobStatus();
                    cronJob = stored;
                    continue;
                }

                Record(cronJob, "Warning", "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Name()}");
            }
            else if (listed && finished is not null)
            {
                Remove(cronJob, job.Uid());
                Record(cronJob, "Normal", "SawCompletedJob", $"Saw completed job: {job.Name()}, status: {finished}");
                changed = true;
            }
            else if (finished == JobConditions.Complete && job.Status?.CompletionTime is { } completed
                     && (cronJob.Status.LastSuccessfulTime is not { } last || completed > last))
            {
                cronJob.Status.LastSuccessfulTime = completed;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Drops from the active list the jobs that are gone, asking the store rather than a watch that may lag.</summary>
    private bool ForgetMissingJobs(V1CronJob cronJob, List<V1Job> jobs)
    {
        var changed = false;
        foreach (var reference in (cronJob.Status.Active ?? []).ToList())
        {
            if (jobs.Any(j => j.Uid() == reference.Uid) || StoredJob(reference.NamespaceProperty, reference.Name) is not null)
            {
                continue;
            }

            Record(cronJob, "Normal", "MissingJob", $"Active job went missing: {reference.Name}");
            Remove(cronJob, reference.Uid);
            changed = true;
        }

        return changed;
    }

    /// <summary>kube's <c>cleanupFinishedJobs</c>: the oldest finished jobs (by start time, then name) past each history limit go.</summary>
    private async Task<bool> CleanUpFinishedJobsAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken ct)
    {
        var changed = false;
        foreach (var (outcome, limit) in new[]
                 {
                     (JobConditions.Complete, cronJob.Spec.SuccessfulJobsHistoryLimit),
                     (JobConditions.Failed, cronJob.Spec.FailedJobsHistoryLimit),
                 })
        {
            if (limit is null)
            {
                continue;
            }

            var finished = jobs.Where(j => FinishedAs(j) == outcome)
                .OrderBy(j => j.Status?.StartTime is null)
                .ThenBy(j => j.Status?.StartTime)
                .ThenBy(j => j.Name(), StringComparer.Ordinal)
                .ToList();
            foreach (var job in finished.Take(finished.Count - limit.Value))
            {
                changed |= await DeleteJobAsync(cronJob, job, ct).ConfigureAwait(false);
            }
        }

        return changed;
    }

    /// <summary>kube's <c>deleteJob</c>: the job goes in the background (its pods after it), and off the active list.</summary>
    private async Task<bool> DeleteJobAsync(V1CronJob cronJob, V1Job job, CancellationToken ct)
    {
        try
        {
            await _client.DeleteAsync<V1Job>(job.Namespace(), job.Name(), new DeleteRequest(PropagationPolicy: "Background"), ct).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            Record(cronJob, "Warning", "FailedDelete", $"Deleted job: {ex.Message}");
            _logger.LogWarning(ex, "Deleting job {Namespace}/{Job} of cronjob {CronJob} failed", job.Namespace(), job.Name(), cronJob.Name());
            return false;
        }

        Remove(cronJob, job.Uid());
        Record(cronJob, "Normal", "SuccessfulDelete", $"Deleted job {job.Name()}");
        return true;
    }

    /// <summary>
    /// A change of schedule or time zone requeues the CronJob for its next time under the new one; any other change
    /// syncs it now.
    /// </summary>
    private void OnCronJobChange(V1CronJob? old, V1CronJob? current)
    {
        if (old is null || current is null || (old.Spec.Schedule == current.Spec.Schedule && old.Spec.TimeZone == current.Spec.TimeZone))
        {
            _queue.Add(Key(current ?? old!));
            return;
        }

        try
        {
            var schedule = Parse(current, warn: false);
            if (CronJobScheduleMath.UntilNext(schedule, Earliest(current), _time.GetUtcNow()) is { } delay)
            {
                _queue.AddAfter(Key(current), delay);
            }
        }
        catch (CronFormatException)
        {
            Record(current, "Warning", "UnParseableCronJobSchedule", $"unparseable schedule for cronjob: {current.Spec.Schedule}");
        }
    }

    /// <summary>
    /// kube's <c>formatSchedule</c>: the schedule in <c>spec.timeZone</c> when set, else in the local zone; a schedule
    /// carrying its own TZ (allowed only on CronJobs that had one before kube refused it) keeps it, with a warning.
    /// </summary>
    private ICronSchedule Parse(V1CronJob cronJob, bool warn)
    {
        var spec = cronJob.Spec;
        if (warn && spec.Schedule.Contains("TZ", StringComparison.Ordinal))
        {
            Record(cronJob, "Warning", "UnsupportedSchedule",
                $"CRON_TZ or TZ used in schedule \"{spec.Schedule}\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }

        var zone = spec.TimeZone is { } name && TimeZones.Find(name) is { } found ? found : _localZone;
        return CronParser.Parse(spec.Schedule, zone);
    }

    /// <summary>kube's <c>getJobFromTemplate2</c>.</summary>
    private static V1Job JobFor(V1CronJob cronJob, DateTimeOffset scheduled)
    {
        var template = cronJob.Spec.JobTemplate;
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            // In the CronJob's time zone, UTC without one (Go's LoadLocation("")).
            [ScheduledTimestampAnnotation] = Rfc3339(TimeZoneInfo.ConvertTime(scheduled, TimeZones.Find(cronJob.Spec.TimeZone ?? "") ?? TimeZoneInfo.Utc)),
        };
        var owner = OwnerReferences.NewControllerRef(cronJob);
        owner.ApiVersion = CronJobs.ApiVersion;
        owner.Kind = CronJobs.Kind;
        return new V1Job
        {
            ApiVersion = Jobs.ApiVersion,
            Kind = Jobs.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = JobName(cronJob, scheduled),
                NamespaceProperty = cronJob.Namespace(),
                Labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>()),
                Annotations = annotations,
                OwnerReferences = [owner],
            },
            Spec = KubernetesJson.Deserialize<V1JobSpec>(KubernetesJson.Serialize(template.Spec)),
        };
    }

    /// <summary>The CronJob's name and the scheduled time in minutes since the epoch: one job per scheduled time.</summary>
    internal static string JobName(V1CronJob cronJob, DateTimeOffset scheduled) =>
        $"{cronJob.Name()}-{scheduled.ToUnixTimeSeconds() / 60}";

    /// <summary>Go's RFC 3339 layout: whole seconds, "Z" in UTC and the offset elsewhere.</summary>
    private static string Rfc3339(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static V1ObjectReference Reference(V1Job job) => new()
    {
        ApiVersion = Jobs.ApiVersion,
        Kind = Jobs.Kind,
        Name = job.Name(),
        NamespaceProperty = job.Namespace(),
        Uid = job.Uid(),
        ResourceVersion = job.ResourceVersion(),
    };

    /// <summary>The time kube counts the schedule from: the last scheduled time, else the CronJob's creation.</summary>
    private static DateTimeOffset Earliest(V1CronJob cronJob) =>
        Utc(cronJob.Status?.LastScheduleTime) ?? Utc(cronJob.Metadata.CreationTimestamp) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;

    /// <summary>Complete or Failed, for a finished job; null while it runs.</summary>
    private static string? FinishedAs(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is JobConditions.Complete or JobConditions.Failed && c.Status == "True")?.Type;

    private static bool IsActive(V1CronJob cronJob, string uid) => cronJob.Status?.Active?.Any(r => r.Uid == uid) == true;

    private static void Remove(V1CronJob cronJob, string uid) =>
        cronJob.Status.Active = (cronJob.Status.Active ?? []).Where(r => r.Uid != uid).ToList();

    private V1Job? StoredJob(string ns, string name) =>
        _client.Registry.Get(Jobs, ns, name) is { } stored ? KubernetesJson.Deserialize<V1Job>(new MemoryStream(stored.Json, writable: false)) : null;

    private V1CronJob? StoredCronJob(V1CronJob cronJob) =>
        _client.Registry.Get(CronJobs, cronJob.Namespace(), cronJob.Name()) is { } stored
            ? KubernetesJson.Deserialize<V1CronJob>(new MemoryStream(stored.Json, writable: false))
            : null;

    private void Record(V1CronJob cronJob, string type, string reason, string message) => _events.Record(cronJob, type, reason, message, Component);

    private static V1CronJob Copy(V1CronJob cronJob) => KubernetesJson.Deserialize<V1CronJob>(KubernetesJson.Serialize(cronJob));

    private static string Key(V1CronJob cronJob) => $"{cronJob.Namespace()}/{cronJob.Name()}";
}
