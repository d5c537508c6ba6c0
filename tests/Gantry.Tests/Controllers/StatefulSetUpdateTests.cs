using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The StatefulSet controller's updates: RollingUpdate from the highest ordinal, above the partition; OnDelete; the status.</summary>
public sealed class StatefulSetUpdateTests : IAsyncLifetime
{
    private StatefulSetHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await StatefulSetHarness.StartAsync();
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 3));
        await _h.SyncUntilReadyAsync("web");
    }

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private List<string> Images() => [.. _h.LivePods().Select(p => p.Spec.Containers[0].Image)];

    [Fact]
    public async Task A_ready_set_reports_every_pod_current_updated_ready_and_available()
    {
        var status = _h.StoredSet("web").Status;

        var revision = Assert.Single(_h.StoredRevisions()).Name();
        Assert.Equal((3, 3, 3, 3, 3), (status.Replicas, status.ReadyReplicas, status.AvailableReplicas, status.CurrentReplicas, status.UpdatedReplicas));
        Assert.Equal((revision, revision, 1L, 0), (status.CurrentRevision, status.UpdateRevision, status.ObservedGeneration, status.CollisionCount));
    }

    [Fact]
    public async Task A_rolling_update_replaces_the_highest_ordinal_first()
    {
        await _h.SetImageAsync("web", "busybox:latest");

        await _h.SyncAsync("web");

        Assert.Equal(["web-0", "web-1"], _h.LivePodNames());
        var status = _h.StoredSet("web").Status;
        Assert.NotEqual(status.CurrentRevision, status.UpdateRevision);
    }

    [Fact]
    public async Task A_rolling_update_waits_for_the_replaced_pod_to_be_ready_before_the_next()
    {
        await _h.SetImageAsync("web", "busybox:latest");
        await _h.SyncAsync("web");
        await _h.SyncAsync("web");

        await _h.SyncAsync("web");

        Assert.Equal(["busybox", "busybox", "busybox:latest"], Images());
    }

    [Fact]
    public async Task A_finished_rolling_update_makes_the_update_revision_current()
    {
        await _h.SetImageAsync("web", "busybox:latest");

        await _h.SyncUntilReadyAsync("web");

        Assert.Equal(["busybox:latest", "busybox:latest", "busybox:latest"], Images());
        var status = _h.StoredSet("web").Status;
        Assert.Equal((status.UpdateRevision, 3, 3), (status.CurrentRevision, status.CurrentReplicas, status.UpdatedReplicas));
    }

    [Fact]
    public async Task A_partition_keeps_the_ordinals_below_it_at_the_current_revision()
    {
        await _h.ChangeAsync("web", s =>
        {
            s.Spec.UpdateStrategy.RollingUpdate.Partition = 2;
            s.Spec.Template.Spec.Containers[0].Image = "busybox:latest";
        });

        await _h.SyncUntilReadyAsync("web");
        await _h.SyncAsync("web");

        Assert.Equal(["busybox", "busybox", "busybox:latest"], Images());
        Assert.Equal(1, _h.StoredSet("web").Status.UpdatedReplicas);
    }

    [Fact]
    public async Task OnDelete_leaves_old_pods_until_they_are_deleted_and_then_makes_them_anew()
    {
        await _h.ChangeAsync("web", s =>
        {
            s.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
            s.Spec.Template.Spec.Containers[0].Image = "busybox:latest";
        });
        await _h.SyncAsync("web");
        Assert.Equal(["busybox", "busybox", "busybox"], Images());

        await _h.Client.DeleteAsync<V1Pod>("default", "web-1", new Gantry.Server.Registry.DeleteRequest(GracePeriodSeconds: 0), _h.Ct);
        await _h.SyncAsync("web");

        Assert.Equal(["busybox", "busybox:latest", "busybox"], Images());
    }

    [Fact]
    public async Task A_pod_becomes_available_only_after_min_ready_seconds()
    {
        await _h.ChangeAsync("web", s => s.Spec.MinReadySeconds = 30);
        await _h.MakeReadyAsync("web-0", "web-1", "web-2");
        await _h.SyncAsync("web");
        Assert.Equal((3, 0), (_h.StoredSet("web").Status.ReadyReplicas, _h.StoredSet("web").Status.AvailableReplicas));

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        await _h.SyncAsync("web");

        Assert.Equal(3, _h.StoredSet("web").Status.AvailableReplicas);
    }
}
