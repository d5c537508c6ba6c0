using Gantry.Server.Mesos;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class TaskStateTests
{
    private static V1Pod Pod(string phase, V1ContainerStateTerminated? terminated = null, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web-1-abcde",
            NamespaceProperty = TaskPods.Namespace,
            DeletionTimestamp = deleting ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        },
        Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "task" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = terminated is null
                ? null
                : [new V1ContainerStatus { Name = "task", State = new V1ContainerState { Terminated = terminated } }],
        },
    };

    private static V1ContainerStateTerminated Exited(int code, string? reason = null) => new() { ExitCode = code, Reason = reason };

    [Fact]
    public void A_pending_pod_is_a_staging_task()
    {
        Assert.Equal("TASK_STAGING", TaskState.OfPod(Pod("Pending"), killRequested: false).State);
    }

    [Fact]
    public void A_running_pod_is_a_running_task()
    {
        var state = TaskState.OfPod(Pod("Running"), killRequested: false);

        Assert.Equal(("TASK_RUNNING", "SOURCE_EXECUTOR"), (state.State, state.Source));
    }

    [Fact]
    public void A_succeeded_pod_is_a_finished_task_whose_command_exited_0()
    {
        var state = TaskState.OfPod(Pod("Succeeded", Exited(0)), killRequested: false);

        Assert.Equal(("TASK_FINISHED", "Command exited with status 0"), (state.State, state.Message));
        Assert.True(state.IsTerminal);
    }

    [Fact]
    public void A_failed_pod_is_a_failed_task_with_its_exit_status()
    {
        var state = TaskState.OfPod(Pod("Failed", Exited(3)), killRequested: false);

        Assert.Equal(("TASK_FAILED", "Command exited with status 3", "REASON_COMMAND_EXECUTOR_FAILED"), (state.State, state.Message, state.Reason));
    }

    [Fact]
    public void A_pod_killed_for_memory_is_a_task_failed_at_its_memory_limit()
    {
        var state = TaskState.OfPod(Pod("Failed", Exited(137, "OOMKilled")), killRequested: false);

        Assert.Equal(("TASK_FAILED", "REASON_CONTAINER_LIMITATION_MEMORY"), (state.State, state.Reason));
    }

    [Fact]
    public void A_pod_that_ended_on_sigterm_after_a_kill_is_a_killed_task()
    {
        var state = TaskState.OfPod(Pod("Failed", Exited(143)), killRequested: true);

        Assert.Equal(("TASK_KILLED", "Command terminated with signal Terminated"), (state.State, state.Message));
    }

    [Fact]
    public void A_pod_that_ended_on_sigterm_without_a_kill_is_a_failed_task_terminated_by_that_signal()
    {
        var state = TaskState.OfPod(Pod("Failed", Exited(143)), killRequested: false);

        Assert.Equal(("TASK_FAILED", "Command terminated with signal Terminated"), (state.State, state.Message));
    }

    [Fact]
    public void A_pod_being_deleted_at_a_kill_is_a_killing_task()
    {
        Assert.Equal("TASK_KILLING", TaskState.OfPod(Pod("Running", deleting: true), killRequested: true).State);
    }

    [Fact]
    public void A_pod_being_deleted_without_a_kill_is_still_running()
    {
        Assert.Equal("TASK_RUNNING", TaskState.OfPod(Pod("Running", deleting: true), killRequested: false).State);
    }

    [Fact]
    public void A_pod_deleted_at_a_kill_is_a_killed_task()
    {
        var state = TaskState.OfDeletedPod(Pod("Running"), killRequested: true, partitionAware: false);

        Assert.Equal(("TASK_KILLED", "Command terminated with signal Terminated"), (state.State, state.Message));
    }

    [Fact]
    public void A_pod_deleted_without_a_kill_is_a_lost_task()
    {
        var state = TaskState.OfDeletedPod(Pod("Running"), killRequested: false, partitionAware: false);

        Assert.Equal(("TASK_LOST", "The task's pod mesos/web-1-abcde was deleted"), (state.State, state.Message));
    }

    [Fact]
    public void A_pod_deleted_without_a_kill_is_a_gone_task_to_a_partition_aware_framework()
    {
        Assert.Equal("TASK_GONE", TaskState.OfDeletedPod(Pod("Running"), killRequested: false, partitionAware: true).State);
    }

    [Theory]
    [InlineData("TASK_FINISHED", true)]
    [InlineData("TASK_GONE", true)]
    [InlineData("TASK_DROPPED", true)]
    [InlineData("TASK_KILLING", false)]
    [InlineData("TASK_RUNNING", false)]
    [InlineData("TASK_UNKNOWN", false)]
    public void Only_the_states_a_task_cannot_leave_are_terminal(string state, bool terminal)
    {
        Assert.Equal(terminal, TaskState.IsTerminalState(state));
    }
}
