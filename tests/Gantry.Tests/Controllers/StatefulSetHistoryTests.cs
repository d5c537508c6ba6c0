using System.Text.Json.Nodes;
using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The StatefulSet controller's rollout history: a ControllerRevision for each template, as kube's controller keeps it.</summary>
public sealed class StatefulSetHistoryTests : IAsyncLifetime
{
    private StatefulSetHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await StatefulSetHarness.StartAsync();
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 1));
        await _h.SyncUntilReadyAsync("web");
    }

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public void A_set_gets_revision_1_named_by_the_hash_of_its_data()
    {
        var revision = Assert.Single(_h.StoredRevisions());

        var hash = revision.Metadata.Labels[StatefulPods.RevisionLabel];
        Assert.Equal(($"web-{hash}", 1L), (revision.Name(), revision.Revision));
        Assert.Equal(StatefulSetRevisions.Hash(KubernetesJson.Serialize(revision.Data), 0), hash);
        Assert.Equal(("StatefulSet", "web", true), (revision.Metadata.OwnerReferences[0].Kind, revision.Metadata.OwnerReferences[0].Name, revision.Metadata.OwnerReferences[0].Controller));
    }

    [Fact]
    public void A_revision_holds_a_patch_that_replaces_the_template()
    {
        var data = JsonNode.Parse(KubernetesJson.Serialize(Assert.Single(_h.StoredRevisions()).Data))!;

        Assert.Equal("replace", (string?)data["spec"]!["template"]!["$patch"]);
        Assert.Equal("busybox", (string?)data["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task A_new_template_gets_a_new_revision_numbered_above_the_old()
    {
        await _h.SetImageAsync("web", "busybox:latest");

        await _h.SyncAsync("web");

        Assert.Equal([1L, 2L], _h.StoredRevisions().Select(r => r.Revision));
        Assert.Equal(_h.StoredRevisions()[1].Name(), _h.StoredSet("web").Status.UpdateRevision);
    }

    [Fact]
    public async Task Going_back_to_an_old_template_takes_its_revision_back_with_the_next_number()
    {
        var first = Assert.Single(_h.StoredRevisions()).Name();
        await _h.SetImageAsync("web", "busybox:latest");
        await _h.SyncUntilReadyAsync("web");

        await _h.SetImageAsync("web", "busybox");
        await _h.SyncAsync("web");

        Assert.Equal((first, 3L), (_h.StoredRevisions()[^1].Name(), _h.StoredRevisions()[^1].Revision));
        Assert.Equal(2, _h.StoredRevisions().Count);
    }

    [Fact]
    public async Task Revisions_beyond_the_history_limit_that_no_pod_runs_are_deleted()
    {
        var set = StatefulSetHarness.StatefulSet("db", 1);
        set.Spec.RevisionHistoryLimit = 0;
        await _h.CreateAsync(set);
        await _h.SyncUntilReadyAsync("db");
        await _h.SetImageAsync("db", "busybox:1");
        await _h.SyncUntilReadyAsync("db");

        await _h.SyncAsync("db");

        var kept = Assert.Single(_h.StoredRevisions(), r => r.Metadata.OwnerReferences[0].Name == "db");
        Assert.Equal(_h.StoredSet("db").Status.UpdateRevision, kept.Name());
    }

    [Fact]
    public async Task An_orphaned_revision_that_matches_is_adopted()
    {
        var revision = Assert.Single(_h.StoredRevisions());
        await _h.Client.MutateAsync<V1ControllerRevision>("default", revision.Name(), r => r.Metadata.OwnerReferences = null, _h.Ct);

        await _h.SyncAsync("web");

        Assert.Equal("web", Assert.Single(Assert.Single(_h.StoredRevisions()).Metadata.OwnerReferences).Name);
    }
}
