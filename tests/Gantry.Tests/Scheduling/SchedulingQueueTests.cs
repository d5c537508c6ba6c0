using Gantry.Server.Scheduling;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Scheduling;

public sealed class SchedulingQueueTests
{
    private static V1Pod Pod(string name, int priority = 0) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1PodSpec { Priority = priority } };

    [Fact]
    public void Higher_priority_pods_come_first_then_older_ones()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));
        queue.Upsert("b", Pod("b", 100));
        queue.Upsert("c", Pod("c"));

        Assert.Equal(["b", "a", "c"], [queue.Pop()!.Metadata.Name, queue.Pop()!.Metadata.Name, queue.Pop()!.Metadata.Name]);
        Assert.Null(queue.Pop());
    }

    [Fact]
    public void An_unschedulable_pod_waits_until_the_cluster_changes()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));
        queue.MarkUnschedulable("a", queue.Pop()!);

        Assert.Null(queue.Pop());
        Assert.True(queue.RetryUnschedulable());
        Assert.Equal("a", queue.Pop()!.Metadata.Name);
    }

    [Fact]
    public void A_pod_found_unschedulable_after_the_cluster_changed_while_it_was_tried_is_tried_in_the_next_pass()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));
        var tried = queue.Pop()!;

        Assert.False(queue.RetryUnschedulable());
        Assert.True(queue.MarkUnschedulable("a", tried));
        Assert.Null(queue.Pop());
        Assert.True(queue.RetryIfChangeMissed());
        Assert.Equal("a", queue.Pop()!.Metadata.Name);
    }

    [Fact]
    public void A_pod_found_unschedulable_with_no_change_meanwhile_waits_for_the_next_change()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));

        Assert.False(queue.MarkUnschedulable("a", queue.Pop()!));
        Assert.False(queue.RetryIfChangeMissed());
        Assert.Null(queue.Pop());
    }

    [Fact]
    public void A_removed_pod_is_not_handed_out()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));
        queue.Remove("a");

        Assert.Null(queue.Pop());
    }

    [Fact]
    public void A_pod_queued_twice_is_handed_out_once()
    {
        var queue = new SchedulingQueue();
        queue.Upsert("a", Pod("a"));
        queue.Upsert("a", Pod("a"));

        Assert.NotNull(queue.Pop());
        Assert.Null(queue.Pop());
    }
}
