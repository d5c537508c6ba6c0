using System.Text.Json.Nodes;
using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The DaemonSet controller's rollout history: a ControllerRevision for each template, as kube's controller keeps it.</summary>
public sealed class DaemonSetHistoryTests : IAsyncLifetime
{
    private DaemonSetHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DaemonSetHarness.StartAsync();
        await _h.CreateNodeAsync("a");
    }

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task A_daemonset_gets_revision_1_named_by_the_hash_its_pods_carry()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));

        await _h.SyncAsync("agent");

        var revision = Assert.Single(_h.StoredRevisions());
        var hash = Assert.Single(_h.StoredPods()).Metadata.Labels[DaemonPods.RevisionHashLabel];
        Assert.Equal(($"agent-{hash}", 1L), (revision.Name(), revision.Revision));
        Assert.Equal(hash, revision.Metadata.Labels[DaemonPods.RevisionHashLabel]);
        Assert.Equal("agent", revision.Metadata.Labels["app"]);
        Assert.Equal(("DaemonSet", "agent", true), (revision.Metadata.OwnerReferences[0].Kind, revision.Metadata.OwnerReferences[0].Name, revision.Metadata.OwnerReferences[0].Controller));
    }

    [Fact]
    public async Task A_revision_holds_a_patch_that_replaces_the_template()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));

        await _h.SyncAsync("agent");

        var data = JsonNode.Parse(KubernetesJson.Serialize(Assert.Single(_h.StoredRevisions()).Data))!;
        Assert.Equal(["spec"], data.AsObject().Select(p => p.Key));
        Assert.Equal("replace", (string?)data["spec"]!["template"]!["$patch"]);
        Assert.Equal("busybox", (string?)data["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task A_revision_holds_the_bytes_go_writes_for_the_template_so_kubectl_can_tell_it_is_current()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));

        await _h.SyncAsync("agent");

        var data = KubernetesJson.Serialize(Assert.Single(_h.StoredRevisions()).Data);
        Assert.StartsWith("""{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"agent"}},"spec":{"containers":[{""", data);
    }

    [Fact]
    public async Task A_new_template_gets_a_new_revision_numbered_above_the_old()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");

        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");

        Assert.Equal([1L, 2L], _h.StoredRevisions().Select(r => r.Revision));
        var current = _h.StoredRevisions()[1];
        Assert.Equal($"agent-{current.Metadata.Labels[DaemonPods.RevisionHashLabel]}", current.Name());
    }

    [Fact]
    public async Task Going_back_to_an_old_template_takes_its_revision_back_with_the_next_number()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        var first = Assert.Single(_h.StoredRevisions()).Name();
        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");

        await _h.SetImageAsync("agent", "busybox");
        await _h.SyncAsync("agent");

        var revisions = _h.StoredRevisions();
        Assert.Equal([2L, 3L], revisions.Select(r => r.Revision));
        Assert.Equal(first, revisions[1].Name());
    }

    [Fact]
    public async Task New_pods_carry_the_hash_of_the_revision_they_are_made_from()
    {
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        await _h.SetImageAsync("agent", "busybox:1.36");
        await _h.SyncAsync("agent");

        await _h.SyncAsync("agent");

        var pod = Assert.Single(_h.StoredPods(), p => p.Metadata.DeletionTimestamp is null);
        Assert.Equal("busybox:1.36", pod.Spec.Containers[0].Image);
        Assert.Equal(_h.StoredRevisions()[^1].Metadata.Labels[DaemonPods.RevisionHashLabel], pod.Metadata.Labels[DaemonPods.RevisionHashLabel]);
    }

    [Fact]
    public async Task Old_revisions_beyond_the_limit_are_deleted_oldest_first_but_not_one_live_pods_run()
    {
        var ds = DaemonSetHarness.DaemonSet("agent");
        ds.Spec.RevisionHistoryLimit = 1;
        ds.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" };
        await _h.CreateAsync(ds);
        await _h.SyncAsync("agent");
        var live = Assert.Single(_h.StoredRevisions()).Name();

        foreach (var image in new[] { "busybox:1.35", "busybox:1.36", "busybox:1.37" })
        {
            await _h.SetImageAsync("agent", image);
            await _h.SyncAsync("agent");
        }

        var revisions = _h.StoredRevisions();
        Assert.Equal([live, revisions[^1].Name()], revisions.Select(r => r.Name()));
        Assert.Equal([1L, 4L], revisions.Select(r => r.Revision));
    }
}
