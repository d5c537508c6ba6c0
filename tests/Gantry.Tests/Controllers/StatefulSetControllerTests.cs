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
    public async Task Each_pod_gets_its_claims_before_it_is_created_and_its_volume_points_at_them()
    {
        await _h.CreateAsync(WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1)));

        await _h.SyncAsync("db");

        var claim = Assert.Single(_h.StoredClaims());
        Assert.Equal("data-db-0", claim.Name());
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "storage", ["app"] = "db" }, claim.Metadata.Labels);
        Assert.Null(claim.Metadata.OwnerReferences);
        var volume = Assert.Single(Assert.Single(_h.LivePods()).Spec.Volumes, v => v.Name == "data");
        Assert.Equal("data-db-0", volume.PersistentVolumeClaim.ClaimName);
        Assert.Contains("create Claim data-db-0 Pod db-0 in StatefulSet db success",
            (await _h.EventsAsync("db")).Where(e => e is { Type: "Normal", Reason: "SuccessfulCreate" }).Select(e => e.Message));
    }

    [Fact]
    public async Task A_pending_pods_claim_deleted_since_the_pod_was_made_is_made_again()
    {
        await _h.CreateAsync(WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1)));
        await _h.SyncAsync("db");
        await _h.SetPhaseAsync("db-0", "Pending");
        await _h.Client.DeleteAsync<V1PersistentVolumeClaim>("default", "data-db-0", new Gantry.Server.Registry.DeleteRequest(), _h.Ct);

        await _h.SyncAsync("db");

        Assert.Equal("data-db-0", Assert.Single(_h.StoredClaims()).Name());
    }

    [Fact]
    public async Task A_claim_that_exists_is_used_as_it_is()
    {
        await _h.Client.CreateAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data-db-0", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kept"] = "yes" } },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, _h.Ct);
        await _h.CreateAsync(WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1)));

        await _h.SyncAsync("db");

        Assert.Equal("yes", Assert.Single(_h.StoredClaims()).Metadata.Labels["kept"]);
        Assert.Equal(["db-0"], _h.LivePodNames());
    }

    [Fact]
    public async Task WhenDeleted_Delete_makes_the_set_own_its_claims()
    {
        var set = WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1));
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Delete", WhenScaled = "Retain" };
        var created = await _h.CreateAsync(set);

        await _h.SyncAsync("db");

        var owner = Assert.Single(Assert.Single(_h.StoredClaims()).Metadata.OwnerReferences);
        Assert.Equal(("StatefulSet", "db", created.Uid(), true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
    }

    [Fact]
    public async Task A_retention_policy_changed_later_reaches_the_claims_already_made()
    {
        var created = await _h.CreateAsync(WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1)));
        await _h.SyncUntilReadyAsync("db");
        Assert.Null(Assert.Single(_h.StoredClaims()).Metadata.OwnerReferences);

        await _h.ChangeAsync("db", s => s.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Delete", WhenScaled = "Retain" });
        await _h.SyncAsync("db");

        Assert.Equal(created.Uid(), Assert.Single(Assert.Single(_h.StoredClaims()).Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task WhenScaled_Delete_passes_a_condemned_pods_claims_to_the_pod()
    {
        var set = WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 2, "Parallel"));
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Delete" };
        await _h.CreateAsync(set);
        await _h.SyncUntilReadyAsync("db");
        var condemned = _h.LivePods().Single(p => p.Name() == "db-1");

        await _h.ChangeAsync("db", s => s.Spec.Replicas = 1);
        await _h.SyncAsync("db");

        var claims = _h.StoredClaims();
        Assert.Null(claims.Single(c => c.Name() == "data-db-0").Metadata.OwnerReferences);
        var owner = Assert.Single(claims.Single(c => c.Name() == "data-db-1").Metadata.OwnerReferences);
        Assert.Equal(("Pod", "db-1", condemned.Uid()), (owner.Kind, owner.Name, owner.Uid));
    }

    [Fact]
    public async Task A_claim_being_deleted_keeps_the_pod_from_being_created()
    {
        await _h.Client.CreateAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data-db-0", NamespaceProperty = "default", Finalizers = ["kubernetes.io/pvc-protection"] },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, _h.Ct);
        await _h.Client.DeleteAsync<V1PersistentVolumeClaim>("default", "data-db-0", new Gantry.Server.Registry.DeleteRequest(), _h.Ct);
        await _h.CreateAsync(WithClaimTemplate(StatefulSetHarness.StatefulSet("db", 1)));

        await Assert.ThrowsAnyAsync<Exception>(() => _h.SyncAsync("db"));

        Assert.Empty(_h.StoredPods());
        Assert.Contains("create Pod db-0 in StatefulSet db failed error: pvc data-db-0 is being deleted",
            (await _h.EventsAsync("db")).Where(e => e is { Type: "Warning", Reason: "FailedCreate" }).Select(e => e.Message));
    }

    private static V1StatefulSet WithClaimTemplate(V1StatefulSet set)
    {
        set.Spec.VolumeClaimTemplates =
        [
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = "data", Labels = new Dictionary<string, string> { ["tier"] = "storage" } },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
        ];
        set.Spec.Template.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        return set;
    }
}
