using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The StatefulSet controller's pods: one per ordinal, made, replaced and removed in kube's order.</summary>
public sealed class StatefulSetControllerTests : IAsyncLifetime
{
    private StatefulSetHarness _h = null!;

    public async Task InitializeAsync() => _h = await StatefulSetHarness.StartAsync();

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task OrderedReady_creates_the_next_ordinal_only_once_the_ones_before_it_are_running_and_ready()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 3));

        await _h.SyncAsync("web");
        await _h.SyncAsync("web");
        Assert.Equal(["web-0"], _h.LivePodNames());

        await _h.MakeReadyAsync("web-0");
        await _h.SyncAsync("web");
        Assert.Equal(["web-0", "web-1"], _h.LivePodNames());
    }

    [Fact]
    public async Task Parallel_creates_every_ordinal_at_once()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 3, "Parallel"));

        await _h.SyncAsync("web");

        Assert.Equal(["web-0", "web-1", "web-2"], _h.LivePodNames());
    }

    [Fact]
    public async Task A_pod_carries_its_identity_hostname_subdomain_and_revision()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 1));

        await _h.SyncAsync("web");

        var pod = Assert.Single(_h.LivePods());
        var revision = Assert.Single(_h.StoredRevisions()).Name();
        Assert.Equal(("web-0", "web"), (pod.Spec.Hostname, pod.Spec.Subdomain));
        Assert.Equal(("web-0", "0", revision, "web"), (pod.Metadata.Labels[StatefulPods.PodNameLabel], pod.Metadata.Labels[StatefulPods.PodIndexLabel],
            pod.Metadata.Labels[StatefulPods.RevisionLabel], pod.Metadata.Labels["app"]));
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("StatefulSet", "web", true, true), (owner.Kind, owner.Name, owner.Controller, owner.BlockOwnerDeletion));
    }

    [Fact]
    public async Task Ordinals_start_where_the_spec_says()
    {
        var set = StatefulSetHarness.StatefulSet("web", 2, "Parallel");
        set.Spec.Ordinals = new V1StatefulSetOrdinals { Start = 5 };
        await _h.CreateAsync(set);

        await _h.SyncAsync("web");

        Assert.Equal(["web-5", "web-6"], _h.LivePodNames());
    }

    [Fact]
    public async Task Each_creation_is_an_event_in_kubes_words()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 1));

        await _h.SyncAsync("web");

        var created = Assert.Single(await _h.EventsAsync("web"));
        Assert.Equal(("Normal", "SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"), (created.Type, created.Reason, created.Message));
    }

    [Fact]
    public async Task A_status_writes_no_zero_counts_that_apps_v1_omits_but_always_the_replicas_and_available_ones()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 1));

        await _h.SyncAsync("web");

        var status = _h.StoredJson("web")["status"]!.AsObject();
        Assert.Equal((0, 0), ((int)status["replicas"]!, (int)status["availableReplicas"]!));
        Assert.False(status.ContainsKey("readyReplicas") || status.ContainsKey("currentReplicas") || status.ContainsKey("updatedReplicas"));
    }

    [Fact]
    public async Task Scaling_down_removes_the_highest_ordinal_first_one_at_a_time()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 3));
        await _h.SyncUntilReadyAsync("web");

        await _h.ChangeAsync("web", s => s.Spec.Replicas = 1);
        await _h.SyncAsync("web");
        Assert.Equal(["web-0", "web-1"], _h.LivePodNames());

        await _h.SyncAsync("web");
        Assert.Equal(["web-0"], _h.LivePodNames());
        Assert.Contains(await _h.EventsAsync("web"), e => e.Reason == "SuccessfulDelete" && e.Message == "delete Pod web-2 in StatefulSet web successful");
    }

    [Fact]
    public async Task OrderedReady_scaling_down_waits_for_a_terminating_pod_to_be_gone()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 3));
        await _h.SyncUntilReadyAsync("web");
        await _h.Client.MutateAsync<V1Pod>("default", "web-2", p => p.Metadata.Finalizers = ["example.com/hold"], _h.Ct);

        await _h.ChangeAsync("web", s => s.Spec.Replicas = 1);
        await _h.SyncAsync("web");
        await _h.SyncAsync("web");

        Assert.Equal(["web-0", "web-1"], _h.LivePodNames());
        Assert.NotNull(_h.StoredPods().Single(p => p.Name() == "web-2").Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_failed_pod_is_deleted_and_made_again()
    {
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 2));
        await _h.SyncUntilReadyAsync("web");
        var uid = _h.LivePods()[1].Uid();

        await _h.SetPhaseAsync("web-1", "Failed");
        await _h.SyncAsync("web");
        await _h.SyncAsync("web");

        var replacement = _h.LivePods()[1];
        Assert.Equal("web-1", replacement.Name());
        Assert.NotEqual(uid, replacement.Uid());
    }

    [Fact]
    public async Task An_orphan_with_a_member_name_is_adopted_and_given_its_identity()
    {
        await _h.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, _h.Ct);
        await _h.MakeReadyAsync("web-0");
        var set = StatefulSetHarness.StatefulSet("web", 1);

        // OnDelete, so that the pod, made from no revision of the set, is not replaced at once.
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
        await _h.CreateAsync(set);

        await _h.SyncAsync("web");

        var pod = Assert.Single(_h.StoredPods());
        Assert.Equal("web", Assert.Single(pod.Metadata.OwnerReferences).Name);
        Assert.Equal("web-0", pod.Metadata.Labels[StatefulPods.PodNameLabel]);
    }

    [Fact]
    public async Task A_matching_pod_whose_name_is_not_a_member_is_left_alone()
    {
        await _h.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "db-0", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, _h.Ct);
        await _h.CreateAsync(StatefulSetHarness.StatefulSet("web", 1));

        await _h.SyncAsync("web");

        Assert.Null(_h.StoredPods().Single(p => p.Name() == "db-0").Metadata.OwnerReferences);
    }

    [Fact]
    public async Task A_set_with_claim_templates_makes_no_pod_and_says_the_claim_could_not_be_created()
    {
        var set = StatefulSetHarness.StatefulSet("db", 1);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec() }];
        await _h.CreateAsync(set);

        await Assert.ThrowsAnyAsync<Exception>(() => _h.SyncAsync("db"));

        Assert.Empty(_h.StoredPods());
        Assert.Equal(
            [
                "create Claim data-db-0 for Pod db-0 in StatefulSet db failed error: " + StatefulPodControl.ClaimsNotServed,
                "create Pod db-0 in StatefulSet db failed error: failed to create PVC data-db-0: " + StatefulPodControl.ClaimsNotServed,
            ],
            (await _h.EventsAsync("db")).Where(e => e is { Type: "Warning", Reason: "FailedCreate" }).Select(e => e.Message).Order(StringComparer.Ordinal));
    }
}
