using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>A DaemonSet's rolling update with maxSurge: the new pod starts beside the old one, which goes once the new one is available.</summary>
public sealed class DaemonSetSurgeTests : IAsyncLifetime
{
    private DaemonSetHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DaemonSetHarness.StartAsync();
        foreach (var node in new[] { "a", "b", "c" })
        {
            await _h.CreateNodeAsync(node);
        }
    }

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task The_new_pod_starts_beside_the_old_one_on_at_most_max_surge_nodes()
    {
        await StartRolledAsync(maxSurge: 2);

        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");

        var byNode = _h.PodsByNode();
        Assert.Equal([1, 2, 2], byNode.Values.Select(p => p.Count).Order());
        Assert.Equal(2, NewPods().Count);
    }

    [Fact]
    public async Task The_old_pod_goes_once_the_new_one_is_available_and_the_next_node_surges()
    {
        await StartRolledAsync(maxSurge: 1);
        var (fresh, node) = await SurgeOnceAsync();

        await _h.MakeReadyAsync(fresh.Name());
        await _h.SyncAsync("agent");
        await SyncUntilAsync(() => NewPods().Count == 2);

        Assert.Equal([fresh.Name()], _h.PodsByNode()[node]);
        Assert.Equal(2, NewPods().Count);
        Assert.Equal(3, _h.PodsByNode().Count);
    }

    [Fact]
    public async Task With_min_ready_seconds_the_old_pod_stays_until_the_new_one_has_been_ready_that_long()
    {
        await StartRolledAsync(maxSurge: 1, minReadySeconds: 30);
        var (fresh, node) = await SurgeOnceAsync();
        await _h.MakeReadyAsync(fresh.Name());

        await _h.SyncAsync("agent");
        Assert.Equal(2, _h.PodsByNode()[node].Count);

        _h.Time.Advance(TimeSpan.FromSeconds(31));
        await _h.SyncAsync("agent");
        Assert.Equal([fresh.Name()], _h.PodsByNode()[node]);
    }

    [Fact]
    public async Task An_old_pod_that_is_not_available_is_replaced_beyond_the_surge()
    {
        await StartRolledAsync(maxSurge: 1);
        var broken = _h.StoredPods().Single(p => DaemonPods.TargetNodeName(p) == "a");
        await _h.Client.MutateAsync<V1Pod>("default", broken.Name(), p => p.Status = new V1PodStatus { Phase = "Running" }, _h.Ct, "status");

        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");

        Assert.Equal(2, NewPods().Count);
        Assert.Contains(NewPods(), p => DaemonPods.TargetNodeName(p) == "a");
    }

    /// <summary>A DaemonSet that surges by <paramref name="maxSurge"/>, with a ready pod on every node.</summary>
    private async Task StartRolledAsync(int maxSurge, int minReadySeconds = 0)
    {
        var ds = DaemonSetHarness.DaemonSet("agent");
        ds.Spec.MinReadySeconds = minReadySeconds;
        ds.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = maxSurge, MaxUnavailable = 0 },
        };
        await _h.CreateAsync(ds);
        await _h.SyncAsync("agent");
        await _h.MakeAllReadyAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(minReadySeconds + 1));
        await _h.SyncAsync("agent");
    }

    /// <summary>Changes the image and syncs once: the one new pod that surges, and its node.</summary>
    private async Task<(V1Pod Fresh, string Node)> SurgeOnceAsync()
    {
        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");
        var fresh = Assert.Single(NewPods());
        return (fresh, DaemonPods.TargetNodeName(fresh)!);
    }

    /// <summary>
    /// Syncs until <paramref name="done"/>, a few times at most: after a deletion the controller waits until its informer
    /// has told it of the deletion (its expectations, as kube's), which may come just after the informer's list shows it.
    /// </summary>
    private async Task SyncUntilAsync(Func<bool> done)
    {
        for (var attempt = 0; attempt < 50 && !done(); attempt++)
        {
            await _h.SyncAsync("agent");
            await Task.Delay(20, _h.Ct);
        }
    }

    private List<V1Pod> NewPods() =>
        [.. _h.StoredPods().Where(p => p.Metadata.DeletionTimestamp is null && p.Spec.Containers[0].Image == "busybox:1.36")];
}
