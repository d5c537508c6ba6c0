using Gantry.Server.Marathon.Events;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>Which changes of a pod are changes of its task's state, as <c>status_update_event</c> reports them.</summary>
public sealed class TaskStatusUpdatesTests
{
    private static V1Pod Pod(string phase, DateTime? deleted = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1", Uid = "u1", DeletionTimestamp = deleted },
        Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "app" }] },
        Status = new V1PodStatus { Phase = phase },
    };

    [Fact]
    public void A_new_pod_is_reported_staging() =>
        Assert.Equal("TASK_STAGING", TaskStatusUpdates.Change(null, Pod("Pending")));

    [Fact]
    public void A_pod_that_starts_running_is_reported_running() =>
        Assert.Equal("TASK_RUNNING", TaskStatusUpdates.Change(Pod("Pending"), Pod("Running")));

    [Fact]
    public void A_change_that_leaves_the_state_as_it_was_is_not_reported() =>
        Assert.Null(TaskStatusUpdates.Change(Pod("Running"), Pod("Running")));

    [Fact]
    public void A_pod_that_exits_with_success_is_reported_finished() =>
        Assert.Equal("TASK_FINISHED", TaskStatusUpdates.Change(Pod("Running"), Pod("Succeeded")));

    [Fact]
    public void A_pod_that_fails_is_reported_failed() =>
        Assert.Equal("TASK_FAILED", TaskStatusUpdates.Change(Pod("Running"), Pod("Failed")));

    [Fact]
    public void A_pod_asked_to_stop_is_not_reported_killing() =>
        Assert.Null(TaskStatusUpdates.Change(Pod("Running"), Pod("Running", deleted: DateTime.UtcNow)));

    [Fact]
    public void A_running_pod_that_goes_was_killed() =>
        Assert.Equal("TASK_KILLED", TaskStatusUpdates.Change(Pod("Running", deleted: DateTime.UtcNow), null));

    [Fact]
    public void A_finished_pod_that_goes_is_not_reported_again() =>
        Assert.Null(TaskStatusUpdates.Change(Pod("Succeeded"), null));

    [Fact]
    public void A_failed_pod_deleted_afterwards_is_not_reported_killed() =>
        Assert.Null(TaskStatusUpdates.Change(Pod("Failed"), Pod("Failed", deleted: DateTime.UtcNow)));
}
