using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>
/// Kube 1.32's job controller adds Complete or Failed only once none of the job's pods is terminating: until then the job
/// carries the interim SuccessCriteriaMet or FailureTarget. A finalizer of the test's own keeps a deleted pod terminating,
/// as a node still stopping its containers would.
/// </summary>
public sealed class JobTerminatingPodsTests
{
    private const string Hold = "test.gantry.dev/hold";

    private static List<string> ConditionTypes(V1Job job) => [.. (job.Status?.Conditions ?? []).Select(c => c.Type)];

    private static Task<V1Pod> HoldAsync(JobHarness h, V1Pod pod) =>
        h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Metadata.Finalizers = [.. p.Metadata.Finalizers ?? [], Hold], h.Context.Ct);

    private static Task<V1Pod> LetGoAsync(JobHarness h, V1Pod pod) =>
        h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Metadata.Finalizers = [.. p.Metadata.Finalizers.Where(f => f != Hold)], h.Context.Ct);

    /// <summary>A job past its deadline, whose one pod, held, the sync that saw the deadline pass has deleted.</summary>
    private static async Task<V1Pod> PastDeadlineWithItsPodTerminatingAsync(JobHarness h, string name)
    {
        await h.CreateAsync(JobHarness.Job(name, deadline: 5));
        await h.SyncAsync(name);
        var pod = await HoldAsync(h, Assert.Single(h.PodsOf()));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.SyncAsync(name);
        return pod;
    }

    [Fact]
    public async Task A_job_past_its_deadline_stays_failure_target_while_the_pod_it_deleted_terminates()
    {
        await using var h = await JobHarness.StartAsync();
        await PastDeadlineWithItsPodTerminatingAsync(h, "slow");

        await h.SyncAsync("slow");

        var job = h.StoredJob("slow");
        Assert.Equal([JobConditions.FailureTarget], ConditionTypes(job));
        Assert.Equal((1, 1), (job.Status.Terminating, job.Status.Failed));
        Assert.NotNull(Assert.Single(h.PodsOf()).Metadata.DeletionTimestamp);
        Assert.DoesNotContain(await h.EventsAsync("slow"), e => e.Reason == JobMath.DeadlineExceeded);
    }

    [Fact]
    public async Task A_job_past_its_deadline_fails_once_the_pod_it_deleted_is_gone()
    {
        await using var h = await JobHarness.StartAsync();
        var pod = await PastDeadlineWithItsPodTerminatingAsync(h, "slow");

        await LetGoAsync(h, pod);
        await h.SyncAsync("slow");

        var job = h.StoredJob("slow");
        Assert.Equal([JobConditions.FailureTarget, JobConditions.Failed], ConditionTypes(job));
        Assert.Equal((0, 1), (job.Status.Terminating, job.Status.Failed));
        Assert.Contains(await h.EventsAsync("slow"), e => (e.Type, e.Reason) == ("Warning", JobMath.DeadlineExceeded));
    }

    [Fact]
    public async Task A_terminating_pod_that_reaches_a_terminal_phase_no_longer_holds_back_the_failure()
    {
        await using var h = await JobHarness.StartAsync();
        var pod = await PastDeadlineWithItsPodTerminatingAsync(h, "slow");

        await h.SetPhaseAsync(pod, "Failed");
        await h.SyncAsync("slow");

        Assert.True(JobConditions.IsTrue(h.StoredJob("slow").Status, JobConditions.Failed));
    }

    [Fact]
    public async Task A_job_that_reaches_its_completions_completes_once_its_terminating_pods_are_gone()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("evicted", completions: 1));
        await h.SyncAsync("evicted");
        var evicted = await HoldAsync(h, Assert.Single(h.PodsOf()));
        await h.DeletePodAsync(evicted);
        await h.SyncAsync("evicted");
        await h.SetPhaseAsync(h.PodsOf().Single(p => p.Metadata.Name != evicted.Metadata.Name), "Succeeded");

        await h.SyncAsync("evicted");
        var waiting = h.StoredJob("evicted");
        await LetGoAsync(h, evicted);
        await h.SyncAsync("evicted");

        Assert.Equal([JobConditions.SuccessCriteriaMet], ConditionTypes(waiting));
        Assert.Equal(1, waiting.Status.Terminating);
        Assert.Null(waiting.Status.CompletionTime);
        var job = h.StoredJob("evicted");
        Assert.Equal([JobConditions.SuccessCriteriaMet, JobConditions.Complete], ConditionTypes(job));
        Assert.Equal(0, job.Status.Terminating);
        Assert.NotNull(job.Status.CompletionTime);
    }

    [Fact]
    public async Task The_pods_a_failing_job_deletes_count_as_terminating_in_the_status_that_records_the_failure_target()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("late", parallelism: 2, deadline: 5));
        await h.SyncAsync("late");
        h.Time.Advance(TimeSpan.FromSeconds(5));

        await h.SyncAsync("late");

        var job = h.StoredJob("late");
        Assert.Equal([JobConditions.FailureTarget], ConditionTypes(job));
        Assert.Equal(2, job.Status.Terminating);
    }
}
