using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class JobControllerTests
{
    private static List<string> Conditions(V1Job job) =>
        [.. (job.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status} {c.Reason}: {c.Message}")];

    [Fact]
    public async Task A_sync_on_a_stale_copy_of_a_job_past_its_deadline_keeps_its_failed_count()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("deadline", parallelism: 2, deadline: 3));
        await h.SyncAsync("deadline");
        await h.FreezeInformersAsync();
        h.Time.Advance(TimeSpan.FromSeconds(3));

        await h.SyncAsIsAsync("deadline");
        await h.SyncAsIsAsync("deadline");

        var job = h.StoredJob("deadline");
        Assert.Equal(2, job.Status.Failed);
        Assert.Null(job.Status.Active);
        Assert.Equal(["FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline"], Conditions(job));
    }

    [Fact]
    public async Task A_job_past_its_deadline_records_its_failure_once()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("deadline", parallelism: 2, deadline: 3));
        await h.SyncAsync("deadline");
        h.Time.Advance(TimeSpan.FromSeconds(3));

        await h.SyncAsync("deadline");
        await h.SyncAsync("deadline");
        await h.SyncAsync("deadline");

        Assert.Equal(
            ["FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline",
             "Failed=True DeadlineExceeded: Job was active longer than specified deadline"],
            Conditions(h.StoredJob("deadline")));
        var failure = Assert.Single(await h.EventsAsync("deadline"), e => e.Reason == "DeadlineExceeded");
        Assert.Equal(("Warning", 1), (failure.Type, failure.Count));
    }

    [Fact]
    public async Task A_finished_job_is_left_alone_once_its_informer_has_the_final_status()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("done", parallelism: 2, deadline: 3));
        await h.SyncAsync("done");
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await h.SyncAsync("done");
        await h.SyncAsync("done");
        var failed = h.Stored("done").ToJsonString();

        await h.SyncAsync("done");

        Assert.Equal(failed, h.Stored("done").ToJsonString());
        Assert.Empty(h.PodsOf());
    }

    [Fact]
    public async Task A_job_that_reaches_its_completions_meets_its_success_criteria_then_completes()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("pi", completions: 1));
        await h.SyncAsync("pi");
        await h.FinishPodsAsync("Succeeded");

        await h.SyncAsync("pi");

        var job = h.StoredJob("pi");
        Assert.Equal(
            ["SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods",
             "Complete=True CompletionsReached: Reached expected number of succeeded pods"],
            Conditions(job));
        Assert.Equal(job.Status.Conditions[1].LastTransitionTime, job.Status.CompletionTime);
        Assert.Contains(await h.EventsAsync("pi"), e => (e.Type, e.Reason, e.Message) == ("Normal", "Completed", "Job completed"));
    }

    [Fact]
    public async Task Its_events_come_from_the_job_controller_as_kubectl_describe_shows_them()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("named", completions: 1));
        await h.SyncAsync("named");

        var events = await h.EventsAsync("named");

        Assert.Contains(events, e => e.Reason == "SuccessfulCreate");
        Assert.All(events, e => Assert.Equal(("job-controller", "job-controller"), (e.Source.Component, e.ReportingComponent)));
    }

    [Fact]
    public async Task A_job_past_its_backoff_limit_gets_a_failure_target_then_fails()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("crash", backoffLimit: 0));
        await h.SyncAsync("crash");
        await h.FinishPodsAsync("Failed");

        await h.SyncAsync("crash");

        Assert.Equal(
            ["FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit",
             "Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit"],
            Conditions(h.StoredJob("crash")));
        Assert.Contains(await h.EventsAsync("crash"), e => (e.Type, e.Reason) == ("Warning", "BackoffLimitExceeded"));
    }

    [Fact]
    public async Task A_job_created_suspended_runs_no_pods_has_no_start_time_and_says_it_is_suspended()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("later", suspend: true));

        await h.SyncAsync("later");

        var job = h.StoredJob("later");
        Assert.Empty(h.PodsOf());
        Assert.Null(job.Status.StartTime);
        Assert.Equal(["Suspended=True JobSuspended: Job suspended"], Conditions(job));
        Assert.Contains(await h.EventsAsync("later"), e => (e.Type, e.Reason, e.Message) == ("Normal", "Suspended", "Job suspended"));
    }

    [Fact]
    public async Task A_resumed_job_starts_its_pods_and_its_clock_anew()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("later", suspend: true, deadline: 60));
        await h.SyncAsync("later");
        h.Time.Advance(TimeSpan.FromMinutes(5));

        await h.SuspendAsync("later", false);
        await h.SyncAsync("later");

        var job = h.StoredJob("later");
        Assert.Single(h.PodsOf());
        Assert.Equal(h.Time.Now.UtcDateTime, job.Status.StartTime);
        Assert.Equal(["Suspended=False JobResumed: Job resumed"], Conditions(job));
        Assert.Contains(await h.EventsAsync("later"), e => (e.Type, e.Reason, e.Message) == ("Normal", "Resumed", "Job resumed"));
    }

    [Fact]
    public async Task Suspending_a_running_job_deletes_its_pods_and_clears_its_start_time()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("pause", parallelism: 2));
        await h.SyncAsync("pause");

        await h.SuspendAsync("pause", true);
        await h.SyncAsync("pause");

        var job = h.StoredJob("pause");
        Assert.Null(job.Status.StartTime);
        Assert.Null(job.Status.Active);
        Assert.Equal(["Suspended=True JobSuspended: Job suspended"], Conditions(job));
        Assert.DoesNotContain(h.PodsOf(), p => p.Metadata.DeletionTimestamp is null);
    }

    [Fact]
    public async Task Zero_counts_are_left_out_except_ready_and_terminating_which_kubernetes_always_writes()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("run"));

        await h.SyncAsync("run");

        var status = h.Stored("run")["status"]!.AsObject();
        Assert.Equal(1, (int?)status["active"]);
        Assert.False(status.ContainsKey("succeeded"));
        Assert.False(status.ContainsKey("failed"));
        Assert.Equal(0, (int?)status["ready"]);
        Assert.Equal(0, (int?)status["terminating"]);
        Assert.Equal("{}", status["uncountedTerminatedPods"]!.ToJsonString());
    }
}
