using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class JobMathTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Job Job(int? completions, int parallelism, int backoffLimit = 6, long? deadline = null) => new()
    {
        Spec = new V1JobSpec
        {
            Completions = completions, Parallelism = parallelism, BackoffLimit = backoffLimit, ActiveDeadlineSeconds = deadline,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never" } },
        },
    };

    [Fact]
    public void Active_pods_are_the_remaining_completions_capped_by_parallelism()
    {
        Assert.Equal(2, JobMath.WantActive(Job(5, 2), 0));
        Assert.Equal(1, JobMath.WantActive(Job(5, 2), 4));
        Assert.Equal(0, JobMath.WantActive(Job(5, 2), 5));
    }

    [Fact]
    public void A_work_queue_job_stops_starting_pods_after_the_first_success()
    {
        Assert.Equal(3, JobMath.WantActive(Job(null, 3), 0));
        Assert.Equal(0, JobMath.WantActive(Job(null, 3), 1));
        Assert.False(JobMath.IsComplete(Job(null, 3), 1, 2));
        Assert.True(JobMath.IsComplete(Job(null, 3), 1, 0));
    }

    [Fact]
    public void More_failures_than_the_backoff_limit_fail_the_job()
    {
        Assert.Null(JobMath.Failure(Job(1, 1, backoffLimit: 2), 2, 0, Now, Now));
        Assert.Equal("BackoffLimitExceeded", JobMath.Failure(Job(1, 1, backoffLimit: 2), 3, 0, Now, Now)?.Reason);
    }

    [Fact]
    public void A_job_active_past_its_deadline_fails()
    {
        var failure = JobMath.Failure(Job(1, 1, deadline: 30), 0, 0, Now, Now.AddSeconds(30));

        Assert.Equal(("DeadlineExceeded", "Job was active longer than specified deadline"), failure);
    }

    [Fact]
    public void Replacing_failed_pods_backs_off_exponentially()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), JobMath.RemainingBackoff(1, Now, Now));
        Assert.Equal(TimeSpan.FromSeconds(35), JobMath.RemainingBackoff(3, Now, Now.AddSeconds(5)));
        Assert.Equal(TimeSpan.Zero, JobMath.RemainingBackoff(0, null, Now));
    }
}
