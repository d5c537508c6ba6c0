using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>Job tracking with the pods' finalizer, synced by hand on <see cref="JobHarness"/>.</summary>
public sealed class JobTrackingTests
{
    [Fact]
    public async Task The_pods_it_creates_carry_the_job_tracking_finalizer()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("tracked", parallelism: 2, completions: 2));

        await h.SyncAsync("tracked");

        Assert.All(h.PodsOf(), p => Assert.Equal(["batch.kubernetes.io/job-tracking"], p.Metadata.Finalizers));
    }

    [Fact]
    public async Task A_finished_pod_loses_its_finalizer_once_it_is_counted()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("count", completions: 3));
        await h.SyncAsync("count");
        var pod = await h.SetPhaseAsync(Assert.Single(h.PodsOf()), "Succeeded");

        await h.SyncAsync("count");

        Assert.Null(h.PodsOf().Single(p => p.Metadata.Name == pod.Metadata.Name).Metadata.Finalizers);
        var status = h.Stored("count")["status"]!.AsObject();
        Assert.Equal(1, (int?)status["succeeded"]);
        Assert.Equal("{}", status["uncountedTerminatedPods"]!.ToJsonString());
    }

    [Fact]
    public async Task A_counted_pod_deleted_afterwards_stays_counted()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("kept", completions: 3));
        await h.SyncAsync("kept");
        var pod = await h.SetPhaseAsync(Assert.Single(h.PodsOf()), "Succeeded");
        await h.SyncAsync("kept");

        await h.DeletePodAsync(pod);
        await h.SyncAsync("kept");

        Assert.DoesNotContain(h.PodsOf(), p => p.Metadata.Name == pod.Metadata.Name);
        Assert.Equal(1, h.StoredJob("kept").Status.Succeeded);
    }

    [Fact]
    public async Task A_succeeded_pod_deleted_before_its_job_counted_it_is_held_until_it_is_counted()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("early", completions: 3));
        await h.SyncAsync("early");
        var pod = await h.SetPhaseAsync(Assert.Single(h.PodsOf()), "Succeeded");

        await h.DeletePodAsync(pod);
        Assert.NotNull(h.PodsOf().Single(p => p.Metadata.Name == pod.Metadata.Name).Metadata.DeletionTimestamp);
        await h.SyncAsync("early");

        Assert.DoesNotContain(h.PodsOf(), p => p.Metadata.Name == pod.Metadata.Name);
        Assert.Equal(1, h.StoredJob("early").Status.Succeeded);
    }

    [Fact]
    public async Task A_running_pod_deleted_by_a_user_counts_as_failed_and_is_replaced()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("evicted", completions: 1));
        await h.SyncAsync("evicted");
        var pod = Assert.Single(h.PodsOf());

        await h.DeletePodAsync(pod);
        await h.SyncAsync("evicted");

        var replacement = Assert.Single(h.PodsOf());
        Assert.NotEqual(pod.Metadata.Name, replacement.Metadata.Name);
        Assert.Equal(1, h.StoredJob("evicted").Status.Failed);
    }

    [Fact]
    public async Task A_pod_recorded_as_uncounted_is_counted_once_its_finalizer_is_gone()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("resume", completions: 3));
        await h.SyncAsync("resume");
        var pod = await h.SetPhaseAsync(Assert.Single(h.PodsOf()), "Failed");
        // As a sync that stopped after storing the uid and removing the finalizer leaves them.
        await h.Client.MutateAsync<V1Job>("default", "resume", j => j.Status.UncountedTerminatedPods = new V1UncountedTerminatedPods { Failed = [pod.Metadata.Uid] },
            h.Context.Ct, "status");
        await h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Metadata.Finalizers = null, h.Context.Ct);

        await h.SyncAsync("resume");

        var status = h.StoredJob("resume").Status;
        Assert.Equal(1, status.Failed);
        Assert.Null(status.UncountedTerminatedPods.Failed);
    }

    [Fact]
    public async Task A_suspended_job_releases_its_pods_before_deleting_them_so_they_are_not_failures()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("pause", parallelism: 2));
        await h.SyncAsync("pause");

        await h.SuspendAsync("pause", true);
        await h.SyncAsync("pause");
        await h.SyncAsync("pause");

        Assert.Empty(h.PodsOf());
        Assert.Null(h.StoredJob("pause").Status.Failed);
    }

    [Fact]
    public async Task A_failed_job_counts_the_running_pods_it_deletes_as_failed_and_releases_them()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("late", parallelism: 2, deadline: 5));
        await h.SyncAsync("late");
        h.Time.Advance(TimeSpan.FromSeconds(5));

        await h.SyncAsync("late");

        var status = h.StoredJob("late").Status;
        Assert.Equal(2, status.Failed);
        Assert.True(JobConditions.IsTrue(status, JobConditions.FailureTarget));
        Assert.Empty(h.PodsOf());
    }

    [Fact]
    public async Task A_pod_whose_job_is_gone_loses_its_finalizer_on_the_orphan_queue()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("gone"));
        await h.SyncAsync("gone");
        var pod = Assert.Single(h.PodsOf());
        await h.Client.DeleteAsync<V1Job>("default", "gone", Gantry.Server.Registry.DeleteRequest.Default, h.Context.Ct);

        await h.ReleaseOrphanAsync(pod.Metadata.Name);

        Assert.Null(Assert.Single(h.PodsOf()).Metadata.Finalizers);
    }

    [Fact]
    public async Task A_job_deleted_in_the_foreground_releases_its_pods()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("foreground"));
        await h.SyncAsync("foreground");
        await h.Client.DeleteAsync<V1Job>("default", "foreground", new Gantry.Server.Registry.DeleteRequest(PropagationPolicy: "Foreground"), h.Context.Ct);

        await h.SyncAsync("foreground");

        Assert.Null(Assert.Single(h.PodsOf()).Metadata.Finalizers);
    }

    [Fact]
    public async Task A_pod_of_a_running_job_keeps_its_finalizer_on_the_orphan_queue()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("alive"));
        await h.SyncAsync("alive");
        var pod = Assert.Single(h.PodsOf());

        await h.ReleaseOrphanAsync(pod.Metadata.Name);

        Assert.Equal(["batch.kubernetes.io/job-tracking"], Assert.Single(h.PodsOf()).Metadata.Finalizers);
    }

    [Fact]
    public async Task A_pod_without_a_controller_loses_its_finalizer_on_the_orphan_queue()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(JobHarness.Job("released"));
        await h.SyncAsync("released");
        var pod = Assert.Single(h.PodsOf());
        await h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Metadata.OwnerReferences = null, h.Context.Ct);

        await h.ReleaseOrphanAsync(pod.Metadata.Name);

        Assert.Null(Assert.Single(h.PodsOf()).Metadata.Finalizers);
    }
}
