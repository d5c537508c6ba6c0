using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.FakeStorageView;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class VolumeBindingTests
{
    private readonly FakeStorageView _storage = new();

    private static PodInfo PodWithClaim(string claim = "data") =>
        Pod(configure: s => s.Volumes = [new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }]);

    private static NodeInfo Host(string name) => Node(name, labels: new Dictionary<string, string> { ["kubernetes.io/hostname"] = name });

    [Fact]
    public void A_pod_whose_claim_does_not_exist_is_refused_before_any_node_in_kube_words()
    {
        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1"), Host("n2")]);

        Assert.Null(decision.Node);
        Assert.Equal("0/2 nodes are available: persistentvolumeclaim \"data\" not found.", decision.Message);
    }

    [Fact]
    public void A_prefilter_refusal_is_one_no_preemption_helps()
    {
        var framework = SchedulingFramework.Default(_storage);
        var pod = PodWithClaim();
        var nodes = new[] { Host("n1") };
        var decision = framework.Schedule(pod, nodes);

        var preemption = Preemption.Attempt(pod, decision, nodes, framework);

        Assert.Equal("preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", preemption.Message);
    }

    [Fact]
    public void An_unbound_claim_of_an_immediate_class_keeps_the_pod_off_every_node()
    {
        _storage.Classes.Add(NewClass("fast", "Immediate"));
        _storage.Claims.Add(NewClaim("data", "fast"));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.", decision.Message);
    }

    [Fact]
    public void A_claim_being_deleted_refuses_the_pod()
    {
        var claim = NewClaim("data", "", volumeName: "pv1", bindCompleted: true);
        claim.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _storage.Claims.Add(claim);

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: persistentvolumeclaim \"data\" is being deleted.", decision.Message);
    }

    [Fact]
    public void A_bound_claim_takes_the_pod_to_the_node_its_volume_is_on()
    {
        _storage.Claims.Add(NewClaim("data", "", volumeName: "pv1", bindCompleted: true));
        _storage.AllVolumes.Add(NewVolume("pv1", "", onNode: "n2", phase: "Bound"));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1"), Host("n2"), Host("n3")]);

        Assert.Equal("n2", decision.Node);
    }

    [Fact]
    public void Nodes_the_bound_volume_does_not_reach_are_a_node_affinity_conflict()
    {
        _storage.Claims.Add(NewClaim("data", "", volumeName: "pv1", bindCompleted: true));
        _storage.AllVolumes.Add(NewVolume("pv1", "", onNode: "elsewhere", phase: "Bound"));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1"), Host("n2")]);

        Assert.Equal("0/2 nodes are available: 2 node(s) had volume node affinity conflict.", decision.Message);
    }

    [Fact]
    public void A_claim_bound_to_a_volume_that_is_gone_refuses_every_node()
    {
        _storage.Claims.Add(NewClaim("data", "", volumeName: "gone", bindCompleted: true));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: 1 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s).", decision.Message);
    }

    [Fact]
    public void A_waiting_claim_goes_where_a_matching_available_volume_is_and_takes_the_smallest()
    {
        _storage.Classes.Add(NewClass("local", "WaitForFirstConsumer", VolumeBinding.NoProvisioner));
        _storage.Claims.Add(NewClaim("data", "local", size: "1Gi"));
        _storage.AllVolumes.Add(NewVolume("big", "local", size: "10Gi", onNode: "n2"));
        _storage.AllVolumes.Add(NewVolume("small", "local", size: "2Gi", onNode: "n2"));
        _storage.AllVolumes.Add(NewVolume("tiny", "local", size: "500Mi", onNode: "n1"));
        var framework = SchedulingFramework.Default(_storage);
        var pod = PodWithClaim();
        var nodes = new[] { Host("n1"), Host("n2") };

        var decision = framework.Schedule(pod, nodes);
        var plan = framework.Filter<VolumeBinding>()!.Plan(pod, nodes[1]);

        Assert.Equal("n2", decision.Node);
        Assert.Equal("small", Assert.Single(plan!).Volume?.Metadata.Name);
    }

    [Fact]
    public void Without_a_volume_or_a_provisioner_a_waiting_claim_finds_no_node()
    {
        _storage.Classes.Add(NewClass("local", "WaitForFirstConsumer", VolumeBinding.NoProvisioner));
        _storage.Claims.Add(NewClaim("data", "local"));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: 1 node(s) didn't find available persistent volumes to bind.", decision.Message);
    }

    [Fact]
    public void A_waiting_claim_of_a_provisioning_class_fits_any_node_and_asks_for_a_volume_there()
    {
        _storage.Classes.Add(NewClass("local-path", "WaitForFirstConsumer"));
        _storage.Claims.Add(NewClaim("data", "local-path"));
        var framework = SchedulingFramework.Default(_storage);
        var pod = PodWithClaim();
        var nodes = new[] { Host("n1") };

        var decision = framework.Schedule(pod, nodes);

        Assert.Equal("n1", decision.Node);
        Assert.Null(Assert.Single(framework.Filter<VolumeBinding>()!.Plan(pod, nodes[0])!).Volume);
    }

    [Fact]
    public void A_volume_promised_to_another_claim_is_not_chosen()
    {
        _storage.Classes.Add(NewClass("local", "WaitForFirstConsumer", VolumeBinding.NoProvisioner));
        _storage.Claims.Add(NewClaim("data", "local"));
        _storage.AllVolumes.Add(NewVolume("pv1", "local", onNode: "n1"));
        _storage.Promised["pv1"] = "default/other";

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Null(decision.Node);
    }

    [Fact]
    public void A_claim_already_sent_to_a_node_for_provisioning_keeps_the_pod_there()
    {
        _storage.Classes.Add(NewClass("local-path", "WaitForFirstConsumer"));
        var claim = NewClaim("data", "local-path");
        claim.Metadata.Annotations = new Dictionary<string, string> { [VolumeBinding.SelectedNode] = "n2" };
        _storage.Claims.Add(claim);

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1"), Host("n2")]);

        Assert.Equal("n2", decision.Node);
    }

    [Fact]
    public void A_pod_sharing_a_claim_another_placement_is_binding_goes_to_that_placements_node()
    {
        _storage.Classes.Add(NewClass("local-path", "WaitForFirstConsumer"));
        var claim = NewClaim("data", "local-path");
        _storage.Claims.Add(claim);
        _storage.Assumed["default/data"] = new ClaimBinding(claim, "n2", null);

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1"), Host("n2"), Host("n3")]);

        Assert.Equal("n2", decision.Node);
    }

    [Fact]
    public void A_claim_sent_to_this_node_is_left_to_its_provisioner_even_with_a_matching_volume_there()
    {
        _storage.Classes.Add(NewClass("local-path", "WaitForFirstConsumer"));
        var claim = NewClaim("data", "local-path");
        claim.Metadata.Annotations = new Dictionary<string, string> { [VolumeBinding.SelectedNode] = "n1" };
        _storage.Claims.Add(claim);
        _storage.AllVolumes.Add(NewVolume("static", "local-path", onNode: "n1"));
        var framework = SchedulingFramework.Default(_storage);
        var pod = PodWithClaim();
        var nodes = new[] { Host("n1") };

        framework.Schedule(pod, nodes);

        Assert.Null(Assert.Single(framework.Filter<VolumeBinding>()!.Plan(pod, nodes[0])!).Volume);
    }

    [Fact]
    public void An_unbound_claim_of_a_class_that_does_not_exist_counts_as_immediate()
    {
        _storage.Claims.Add(NewClaim("data", "absent"));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithClaim(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.", decision.Message);
    }

    private static PodInfo PodWithEphemeralVolume() =>
        Pod(configure: s => s.Volumes = [new V1Volume
        {
            Name = "scratch",
            Ephemeral = new V1EphemeralVolumeSource { VolumeClaimTemplate = new V1PersistentVolumeClaimTemplate { Spec = new V1PersistentVolumeClaimSpec() } },
        }]);

    [Fact]
    public void A_pod_waits_for_the_claim_of_its_ephemeral_volume_in_kube_words()
    {
        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithEphemeralVolume(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: waiting for ephemeral volume controller to create the persistentvolumeclaim \"p-scratch\".", decision.Message);
    }

    [Fact]
    public void An_ephemeral_volumes_claim_not_made_for_the_pod_refuses_it()
    {
        _storage.Claims.Add(NewClaim("p-scratch", "", volumeName: "pv1", bindCompleted: true));

        var decision = SchedulingFramework.Default(_storage).Schedule(PodWithEphemeralVolume(), [Host("n1")]);

        Assert.Equal("0/1 nodes are available: PVC default/p-scratch was not created for pod default/p (pod is not owner).", decision.Message);
    }

    [Fact]
    public void An_ephemeral_volumes_own_claim_is_placed_as_any_claim()
    {
        _storage.Classes.Add(NewClass("local-path", "WaitForFirstConsumer"));
        var claim = NewClaim("p-scratch", "local-path");
        claim.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "Pod", Name = "p", Uid = "u", Controller = true }];
        _storage.Claims.Add(claim);

        Assert.Equal("n1", SchedulingFramework.Default(_storage).Schedule(PodWithEphemeralVolume(), [Host("n1")]).Node);
    }

    [Fact]
    public void A_pod_without_claims_skips_the_volume_checks()
    {
        var framework = SchedulingFramework.Default(_storage);
        var pod = Pod();

        framework.Schedule(pod, [Host("n1")]);

        Assert.True(framework.Filter<VolumeBinding>()!.SkipsFilter(pod));
    }
}
