using System.Globalization;
using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>Indexed jobs with <c>backoffLimitPerIndex</c>, synced by hand on <see cref="JobHarness"/>.</summary>
public sealed class BackoffLimitPerIndexTests
{
    private static V1Job PerIndex(string name, int completions, int limit, int? maxFailedIndexes = null, params V1PodFailurePolicyRule[] rules)
    {
        var job = JobHarness.Job(name, parallelism: completions, completions: completions);
        job.Spec.CompletionMode = "Indexed";
        job.Spec.BackoffLimit = null;
        job.Spec.BackoffLimitPerIndex = limit;
        job.Spec.MaxFailedIndexes = maxFailedIndexes;
        job.Spec.PodFailurePolicy = rules.Length == 0 ? null : new V1PodFailurePolicy { Rules = rules };
        return job;
    }

    private static int IndexOf(V1Pod pod) => int.Parse(pod.Metadata.Annotations[JobCompletionIndex.Key], CultureInfo.InvariantCulture);

    private static List<V1Pod> Running(JobHarness h, int index) =>
        [.. h.PodsOf().Where(p => IndexOf(p) == index && p.Status?.Phase is null or "Pending" && p.Metadata.DeletionTimestamp is null)];

    /// <summary>Fails the pod, its container ending with <paramref name="exitCode"/> at <paramref name="at"/>.</summary>
    private static Task<V1Pod> FailAsync(JobHarness h, V1Pod pod, int exitCode = 1, DateTimeOffset? at = null) =>
        h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Status = new V1PodStatus
        {
            Phase = "Failed",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "sleep",
                    State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, FinishedAt = at?.UtcDateTime } },
                },
            ],
        }, h.Context.Ct, "status");

    [Fact]
    public async Task The_first_pod_of_an_index_counts_no_failures()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("fresh", completions: 2, limit: 1));

        await h.SyncAsync("fresh");

        Assert.All(h.PodsOf(), p => Assert.Equal("0", p.Metadata.Annotations[JobIndexFailures.FailureCountKey]));
    }

    [Fact]
    public async Task A_failed_pod_is_replaced_by_one_counting_its_failure_then_released()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("retry", completions: 2, limit: 1));
        await h.SyncAsync("retry");
        var failed = await FailAsync(h, Running(h, 0).Single());

        await h.SyncAsync("retry");
        var replacement = Running(h, 0).Single();
        Assert.Equal("1", replacement.Metadata.Annotations[JobIndexFailures.FailureCountKey]);
        Assert.NotNull(h.PodsOf().Single(p => p.Metadata.Name == failed.Metadata.Name).Metadata.Finalizers);

        await h.SyncAsync("retry");

        Assert.Null(h.PodsOf().Single(p => p.Metadata.Name == failed.Metadata.Name).Metadata.Finalizers);
        var status = h.StoredJob("retry").Status;
        Assert.Equal(1, status.Failed);
        Assert.Equal("", status.FailedIndexes);
    }

    [Fact]
    public async Task An_index_past_its_limit_fails_and_the_job_fails_once_every_index_finished()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("partial", completions: 2, limit: 0));
        await h.SyncAsync("partial");
        await FailAsync(h, Running(h, 0).Single());

        await h.SyncAsync("partial");

        Assert.Empty(Running(h, 0));
        var running = h.StoredJob("partial").Status;
        Assert.Equal("0", running.FailedIndexes);
        Assert.DoesNotContain(running.Conditions ?? [], c => c.Type == "Failed");

        await h.SetPhaseAsync(Running(h, 1).Single(), "Succeeded");
        await h.SyncAsync("partial");

        var status = h.StoredJob("partial").Status;
        Assert.Equal(("0", "1"), (status.FailedIndexes, status.CompletedIndexes));
        var failedCondition = status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("True", "FailedIndexes", "Job has failed indexes"), (failedCondition.Status, failedCondition.Reason, failedCondition.Message));
    }

    [Fact]
    public async Task A_failure_matching_a_FailIndex_rule_fails_its_index_at_once()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("fatal", completions: 2, limit: 3, rules: new V1PodFailurePolicyRule
        {
            Action = "FailIndex",
            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [42] },
        }));
        await h.SyncAsync("fatal");
        await FailAsync(h, Running(h, 1).Single(), exitCode: 42);

        await h.SyncAsync("fatal");

        Assert.Empty(Running(h, 1));
        Assert.Equal("1", h.StoredJob("fatal").Status.FailedIndexes);
    }

    [Fact]
    public async Task More_failed_indexes_than_maxFailedIndexes_fail_the_job_and_delete_its_running_pods()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("bounded", completions: 3, limit: 0, maxFailedIndexes: 1));
        await h.SyncAsync("bounded");
        await FailAsync(h, Running(h, 0).Single());
        await FailAsync(h, Running(h, 1).Single());

        await h.SyncAsync("bounded");
        await h.SyncAsync("bounded");

        var status = h.StoredJob("bounded").Status;
        Assert.Equal("0,1", status.FailedIndexes);
        var failedCondition = status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes"), (failedCondition.Reason, failedCondition.Message));
        Assert.Empty(Running(h, 2));
        Assert.Equal(3, status.Failed);
    }

    [Fact]
    public async Task A_failed_index_waits_out_its_own_back_off()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(PerIndex("wait", completions: 2, limit: 2));
        await h.SyncAsync("wait");
        await FailAsync(h, Running(h, 0).Single(), at: h.Time.GetUtcNow());

        await h.SyncAsync("wait");
        Assert.Empty(Running(h, 0));
        Assert.Single(Running(h, 1));

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.SyncAsync("wait");

        Assert.Single(Running(h, 0));
    }

    [Fact]
    public void A_failure_the_policy_ignores_is_inherited_as_ignored()
    {
        var job = PerIndex("j", completions: 1, limit: 1, rules: new V1PodFailurePolicyRule
        {
            Action = "Ignore",
            OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
        });
        var evicted = new V1Pod
        {
            Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [JobIndexFailures.FailureCountKey] = "1" } },
            Status = new V1PodStatus { Phase = "Failed", Conditions = [new V1PodCondition { Type = "DisruptionTarget", Status = "True" }] },
        };
        var replacement = new V1Pod { Metadata = new V1ObjectMeta() };

        JobIndexFailures.Inherit(replacement, job, evicted);

        Assert.Equal(("1", "1"), (replacement.Metadata.Annotations[JobIndexFailures.FailureCountKey],
            replacement.Metadata.Annotations[JobIndexFailures.IgnoredFailureCountKey]));
        Assert.False(JobIndexFailures.FailsIndex(job, evicted));
    }
}
