using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The counting rules of <see cref="UncountedPods"/>, on pods and jobs built in memory.</summary>
public sealed class UncountedPodsTests
{
    private static V1Pod Pod(string uid, string phase, bool finalizer = true, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = uid, Uid = uid, Finalizers = finalizer ? [JobTrackingFinalizer.Name] : null, DeletionTimestamp = deleting ? DateTime.UnixEpoch : null,
        },
        Status = new V1PodStatus { Phase = phase },
    };

    [Fact]
    public void Uncounted_pods_without_their_finalizer_move_into_the_counts()
    {
        var status = new V1JobStatus
        {
            Succeeded = 2,
            UncountedTerminatedPods = new V1UncountedTerminatedPods { Succeeded = ["a", "b"], Failed = ["c"] },
        };

        Assert.True(UncountedPods.Count(status, new HashSet<string> { "b" }));

        Assert.Equal((3, 1), (status.Succeeded, status.Failed));
        Assert.Equal(["b"], status.UncountedTerminatedPods.Succeeded);
        Assert.Null(status.UncountedTerminatedPods.Failed);
    }

    [Fact]
    public void Pods_already_uncounted_or_without_the_finalizer_are_not_new()
    {
        var job = JobHarness.Job("j");
        var uncounted = new V1UncountedTerminatedPods { Succeeded = ["known"] };
        V1Pod[] pods = [Pod("known", "Succeeded"), Pod("counted", "Succeeded", finalizer: false), Pod("new", "Succeeded"), Pod("awaited", "Failed")];

        var (succeeded, failed) = UncountedPods.NewFinished(job, pods, uncounted, new HashSet<string> { "awaited" });

        Assert.Equal(["new"], succeeded.Select(p => p.Metadata.Uid));
        Assert.Empty(failed);
    }

    [Fact]
    public void A_deleted_pod_is_failed_unless_only_failed_pods_are_replaced()
    {
        var job = JobHarness.Job("j");
        var deleted = Pod("p", "Running", deleting: true);

        Assert.True(UncountedPods.IsFailed(deleted, job));
        job.Spec.PodReplacementPolicy = "Failed";
        Assert.False(UncountedPods.IsFailed(deleted, job));
    }

    [Fact]
    public void The_uncounted_lists_stop_growing_at_the_maximum()
    {
        var job = JobHarness.Job("j");
        var status = new V1JobStatus();
        var pods = Enumerable.Range(0, UncountedPods.Max + 10).Select(i => Pod($"p{i}", "Succeeded"));

        var release = UncountedPods.Plan(job, status, pods, new HashSet<string>(), null, new HashSet<int>(), _ => false);

        Assert.True(release.ReachedMax);
        Assert.Equal(UncountedPods.Max, release.Pods.Count);
        Assert.Equal(UncountedPods.Max, status.UncountedTerminatedPods.Succeeded.Count);
    }

    [Fact]
    public void A_running_pod_is_released_but_counted_only_when_its_job_fails()
    {
        var job = JobHarness.Job("j");
        var running = Pod("r", "Running");

        var succeeding = UncountedPods.Plan(job, new V1JobStatus(), [running], new HashSet<string>(), new JobEnding(false, "", ""), new HashSet<int>(), _ => false);
        var failingStatus = new V1JobStatus();
        UncountedPods.Plan(job, failingStatus, [running], new HashSet<string>(), JobEnding.Failure("DeadlineExceeded", ""), new HashSet<int>(), _ => false);

        Assert.Single(succeeding.Pods);
        Assert.Equal(["r"], failingStatus.UncountedTerminatedPods.Failed);
    }
}
