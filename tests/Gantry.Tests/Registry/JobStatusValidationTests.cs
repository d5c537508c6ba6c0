using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

/// <summary>Kube 1.32's rules for the status of a finished job: it has let go of its pods.</summary>
public sealed class JobStatusValidationTests
{
    private readonly IResourceRules _rules = new JobRules();

    private static V1Job Job(V1JobStatus status)
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = "0f0e8c4c-6c3f-4d34-8a43-2a9c8e1f5d21" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "pi", Image = "perl:5.34" }] },
                },
            },
            Status = status,
        };
        ((IResourceRules)new JobRules()).Default(job);
        return job;
    }

    private static V1JobStatus Running(int terminating = 0, int active = 0) => new() { Active = active, Terminating = terminating };

    private static V1JobStatus Failed(int terminating = 0, int active = 0, string? uncountedFailed = null) => new()
    {
        Active = active,
        Terminating = terminating,
        UncountedTerminatedPods = new V1UncountedTerminatedPods { Failed = uncountedFailed is null ? null : [uncountedFailed] },
        Conditions =
        [
            new V1JobCondition { Type = "FailureTarget", Status = "True" },
            new V1JobCondition { Type = "Failed", Status = "True" },
        ],
    };

    private IEnumerable<string> StatusUpdate(V1JobStatus status, V1JobStatus old) =>
        _rules.ValidateStatusUpdate(Job(status), Job(old)).Select(e => e.ToString());

    [Fact]
    public void A_job_cannot_fail_while_a_pod_of_it_is_terminating()
    {
        Assert.Equal(["status.terminating: Invalid value: 1: terminating>0 is invalid for finished job"], StatusUpdate(Failed(terminating: 1), Running(terminating: 1)));
    }

    [Fact]
    public void A_job_cannot_finish_with_active_pods()
    {
        Assert.Equal(["status.active: Invalid value: 2: active>0 is invalid for finished job"], StatusUpdate(Failed(active: 2), Running(active: 2)));
    }

    [Fact]
    public void A_job_cannot_finish_with_pods_it_has_not_counted()
    {
        Assert.Equal(
            ["status.uncountedTerminatedPods: Invalid value: batch.UncountedTerminatedPods{...}: uncountedTerminatedPods needs to be empty for finished job"],
            StatusUpdate(Failed(uncountedFailed: "a1"), Running()));
    }

    [Fact]
    public void A_job_fails_once_none_of_its_pods_is_terminating()
    {
        Assert.Empty(StatusUpdate(Failed(), Running(terminating: 1)));
    }

    [Fact]
    public void A_finished_job_stored_with_a_terminating_pod_takes_updates_that_leave_that_count_alone()
    {
        var stored = Failed(terminating: 1);
        var updated = Failed(terminating: 1);
        updated.Succeeded = 1;

        Assert.Empty(StatusUpdate(updated, stored));
    }
}
