using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>A Job's podFailurePolicy: matched as kube matches it, and what the job controller does with the match.</summary>
public sealed class PodFailurePolicyTests
{
    private static V1PodFailurePolicyRule ExitCodes(string action, string @operator, int[] values, string? container = null) => new()
    {
        Action = action,
        OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = container, OperatorProperty = @operator, Values = values },
    };

    private static V1Job WithPolicy(string name, int backoffLimit, params V1PodFailurePolicyRule[] rules)
    {
        var job = JobHarness.Job(name, backoffLimit: backoffLimit);
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy { Rules = rules };
        return job;
    }

    private static V1Pod Failed(string container, int exitCode, string? condition = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
        Status = new V1PodStatus
        {
            Phase = "Failed",
            ContainerStatuses = [new V1ContainerStatus { Name = container, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode } } }],
            Conditions = condition is null ? null : [new V1PodCondition { Type = condition, Status = "True" }],
        },
    };

    [Fact]
    public void The_first_matching_rule_decides_with_kubes_message()
    {
        var policy = new V1PodFailurePolicy { Rules = [ExitCodes("Ignore", "In", [1]), ExitCodes("FailJob", "NotIn", [1, 2])] };

        Assert.Equal(("Ignore", "Container main for pod default/p failed with exit code 1 matching Ignore rule at index 0"),
            PodFailurePolicyRules.Match(policy, Failed("main", 1)));
        Assert.Equal(("FailJob", "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1"),
            PodFailurePolicyRules.Match(policy, Failed("main", 42)));
        Assert.Null(PodFailurePolicyRules.Match(policy, Failed("main", 2)));
    }

    [Fact]
    public void A_rule_for_another_container_or_a_zero_exit_does_not_match()
    {
        var policy = new V1PodFailurePolicy { Rules = [ExitCodes("FailJob", "NotIn", [1], container: "sidecar")] };

        Assert.Null(PodFailurePolicyRules.Match(policy, Failed("main", 42)));
        Assert.Null(PodFailurePolicyRules.Match(new V1PodFailurePolicy { Rules = [ExitCodes("FailJob", "NotIn", [1])] }, Failed("main", 0)));
    }

    [Fact]
    public async Task A_failure_matching_a_FailJob_rule_fails_the_job_at_once()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(WithPolicy("strict", backoffLimit: 6, ExitCodes("FailJob", "In", [42], container: "sleep")));
        await h.SyncAsync("strict");
        var pod = Assert.Single(h.PodsOf());
        await h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Status = Failed("sleep", 42).Status, h.Context.Ct, "status");

        await h.SyncAsync("strict");

        var failed = h.StoredJob("strict").Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("True", "PodFailurePolicy"), (failed.Status, failed.Reason));
        Assert.Equal($"Container sleep for pod default/{pod.Metadata.Name} failed with exit code 42 matching FailJob rule at index 0", failed.Message);
    }

    [Fact]
    public async Task A_failure_matching_an_Ignore_rule_is_not_counted_against_the_backoff_limit()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(WithPolicy("tolerant", backoffLimit: 0, new V1PodFailurePolicyRule
        {
            Action = "Ignore",
            OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
        }));
        await h.SyncAsync("tolerant");
        var evicted = Assert.Single(h.PodsOf());
        await h.Client.MutateAsync<V1Pod>("default", evicted.Metadata.Name, p => p.Status = Failed("sleep", 137, "DisruptionTarget").Status, h.Context.Ct, "status");

        await h.SyncAsync("tolerant");

        var job = h.StoredJob("tolerant");
        Assert.DoesNotContain(job.Status.Conditions ?? [], c => c.Type == "Failed");
        Assert.Null(job.Status.Failed);
        Assert.Equal(2, h.PodsOf().Count);
    }
}
