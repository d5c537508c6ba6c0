using Gantry.Server.Controllers;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The cronjob controller with the registry's clock moved by the test; created at <see cref="RegistryTestContext.Start"/> (12:00 UTC).</summary>
public sealed class CronJobControllerTests : IAsyncLifetime
{
    private CronJobHarness _h = null!;

    public async Task InitializeAsync() => _h = await CronJobHarness.StartAsync();

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private static string JobName(string cronJob, DateTimeOffset scheduled) => $"{cronJob}-{scheduled.ToUnixTimeSeconds() / 60}";

    private static readonly DateTimeOffset Start = RegistryTestContext.Start;

    [Fact]
    public async Task At_its_scheduled_time_a_job_is_created_named_for_that_minute()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("hello", "*/5 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(5));

        await _h.SyncAsync("hello");

        var scheduled = Start.AddMinutes(5);
        var job = _h.StoredJob(JobName("hello", scheduled))!;
        Assert.Equal("2024-05-01T12:05:00Z", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
        Assert.Equal("hello", job.Metadata.Labels["app"]);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "CronJob", "hello", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Controller, owner.BlockOwnerDeletion));
        var status = _h.StoredCronJob("hello").Status;
        Assert.Equal(job.Uid(), Assert.Single(status.Active).Uid);
        Assert.Equal(scheduled.UtcDateTime, status.LastScheduleTime);
        Assert.Contains(await _h.EventsAsync("hello"), e => e.Reason == "SuccessfulCreate" && e.Message == $"Created job {job.Name()}");
    }

    [Fact]
    public async Task Before_its_scheduled_time_nothing_runs_and_it_is_looked_at_again_then()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("hello", "*/5 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var requeue = await _h.SyncAsync("hello");

        Assert.Empty(_h.StoredJobs());
        Assert.Equal(TimeSpan.FromMinutes(3) + CronJobScheduleMath.NextScheduleDelta, requeue);
    }

    [Fact]
    public async Task The_scheduled_timestamp_is_written_in_the_cronjobs_time_zone()
    {
        var cronJob = CronJobHarness.CronJob("morning", "0 8 * * *");
        cronJob.Spec.TimeZone = "America/New_York";
        await _h.CreateAsync(cronJob);
        _h.Time.Advance(TimeSpan.FromDays(1));

        await _h.SyncAsync("morning");

        var job = Assert.Single(_h.StoredJobs());
        Assert.Equal("2024-05-02T08:00:00-04:00", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
    }

    [Fact]
    public async Task Forbid_skips_a_run_while_the_last_one_is_active()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("once", "*/1 * * * *", "Forbid"));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.SyncAsync("once");
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        await _h.SyncAsync("once");

        Assert.Single(_h.StoredJobs());
        Assert.Contains(await _h.EventsAsync("once"), e => e.Reason == "JobAlreadyActive"
            && e.Message == "Not starting job because prior execution is running and concurrency policy is Forbid");
    }

    [Fact]
    public async Task Replace_deletes_the_active_job_and_runs_the_new_one()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("latest", "*/1 * * * *", "Replace"));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.SyncAsync("latest");
        var first = JobName("latest", Start.AddMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        await _h.SyncAsync("latest");

        var second = JobName("latest", Start.AddMinutes(2));
        Assert.Null(_h.StoredJob(first));
        Assert.Equal([second], _h.StoredJobs().Select(j => j.Name()));
        Assert.Equal(second, Assert.Single(_h.StoredCronJob("latest").Status.Active).Name);
        Assert.Contains(await _h.EventsAsync("latest"), e => e.Reason == "SuccessfulDelete" && e.Message == $"Deleted job {first}");
    }

    [Fact]
    public async Task Allow_runs_alongside_the_active_job()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("many", "*/1 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.SyncAsync("many");
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        await _h.SyncAsync("many");

        Assert.Equal(2, _h.StoredCronJob("many").Status.Active.Count);
    }

    [Fact]
    public async Task A_suspended_cronjob_runs_nothing_and_waits_for_a_change()
    {
        var cronJob = CronJobHarness.CronJob("paused", "*/1 * * * *");
        cronJob.Spec.Suspend = true;
        await _h.CreateAsync(cronJob);
        _h.Time.Advance(TimeSpan.FromMinutes(3));

        var requeue = await _h.SyncAsync("paused");

        Assert.Empty(_h.StoredJobs());
        Assert.Null(requeue);
    }

    [Fact]
    public async Task After_missed_times_only_the_latest_runs()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("late", "*/1 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(5.5));

        await _h.SyncAsync("late");

        Assert.Equal([JobName("late", Start.AddMinutes(5))], _h.StoredJobs().Select(j => j.Name()));
    }

    [Fact]
    public async Task Over_a_hundred_missed_times_are_warned_about()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("wedged", "*/1 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(200));

        await _h.SyncAsync("wedged");

        Assert.Equal([JobName("wedged", Start.AddMinutes(200))], _h.StoredJobs().Select(j => j.Name()));
        Assert.Contains(await _h.EventsAsync("wedged"), e => e.Reason == "TooManyMissedTimes" && e.Type == "Warning"
            && e.Message == "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    }

    [Fact]
    public async Task A_time_missed_by_more_than_the_starting_deadline_is_not_run()
    {
        var cronJob = CronJobHarness.CronJob("strict", "*/5 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 10;
        await _h.CreateAsync(cronJob);
        _h.Time.Advance(TimeSpan.FromMinutes(5.5));

        var requeue = await _h.SyncAsync("strict");

        Assert.Empty(_h.StoredJobs());
        Assert.Equal(TimeSpan.FromMinutes(4.5) + CronJobScheduleMath.NextScheduleDelta, requeue);
    }

    [Fact]
    public async Task A_time_within_the_starting_deadline_still_runs()
    {
        var cronJob = CronJobHarness.CronJob("lenient", "*/5 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 60;
        await _h.CreateAsync(cronJob);
        _h.Time.Advance(TimeSpan.FromMinutes(5.5));

        await _h.SyncAsync("lenient");

        Assert.Single(_h.StoredJobs());
    }

    [Fact]
    public async Task A_finished_active_job_leaves_the_active_list_and_moves_last_successful_time()
    {
        await _h.CreateAsync(CronJobHarness.CronJob("hello", "*/1 * * * *"));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.SyncAsync("hello");
        var name = JobName("hello", Start.AddMinutes(1));
        var finished = Start.AddMinutes(1.5).UtcDateTime;
        await _h.Client.MutateAsync<V1Job>("default", name, j => j.Status = new V1JobStatus
        {
            Conditions =
            [
                new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastTransitionTime = finished },
                new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = finished },
            ],
            StartTime = Start.AddMinutes(1).UtcDateTime,
            CompletionTime = finished,
            Succeeded = 1,
        }, _h.Ct, "status");
        _h.Time.Advance(TimeSpan.FromSeconds(40));

        await _h.SyncAsync("hello");
        await _h.SyncAsync("hello");

        var status = _h.StoredCronJob("hello").Status;
        Assert.Null(status.Active);
        Assert.Equal(finished, status.LastSuccessfulTime);
        Assert.Contains(await _h.EventsAsync("hello"), e => e.Reason == "SawCompletedJob" && e.Message == $"Saw completed job: {name}, status: Complete");
    }

    [Fact]
    public async Task Finished_jobs_past_the_history_limits_are_deleted_oldest_first()
    {
        var spec = CronJobHarness.CronJob("kept", "0 0 1 1 *");
        spec.Spec.SuccessfulJobsHistoryLimit = 1;
        spec.Spec.FailedJobsHistoryLimit = 1;
        var cronJob = await _h.CreateAsync(spec);
        await _h.CreateFinishedJobAsync(cronJob, "ok-old", "Complete", Start.AddHours(-3));
        await _h.CreateFinishedJobAsync(cronJob, "ok-new", "Complete", Start.AddHours(-1));
        await _h.CreateFinishedJobAsync(cronJob, "ok-mid", "Complete", Start.AddHours(-2));
        await _h.CreateFinishedJobAsync(cronJob, "failed-old", "Failed", Start.AddHours(-2));
        await _h.CreateFinishedJobAsync(cronJob, "failed-new", "Failed", Start.AddHours(-1));

        await _h.SyncAsync("kept");

        Assert.Equal(["failed-new", "ok-new"], _h.StoredJobs().Select(j => j.Name()).Order());
    }

    [Fact]
    public async Task An_unfinished_job_it_did_not_list_is_reported_as_unexpected()
    {
        var cronJob = await _h.CreateAsync(CronJobHarness.CronJob("hello", "0 0 1 1 *"));
        await _h.Client.CreateAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "stray", NamespaceProperty = "default", OwnerReferences = [OwnerReferences.NewControllerRef(cronJob)] },
            Spec = KubernetesJson.Deserialize<V1JobSpec>(KubernetesJson.Serialize(cronJob.Spec.JobTemplate.Spec)),
        }, _h.Ct);

        await _h.SyncAsync("hello");

        Assert.Contains(await _h.EventsAsync("hello"), e => e.Reason == "UnexpectedJob" && e.Message == "Saw a job that the controller did not create or forgot: stray");
    }
}
