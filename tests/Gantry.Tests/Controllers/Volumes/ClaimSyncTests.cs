using Gantry.Server.Controllers.Volumes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class ClaimSyncTests
{
    private static readonly V1StorageClass Manual = Objects.Class("manual", "kubernetes.io/no-provisioner");
    private static readonly V1StorageClass LocalPath = Objects.Class("local-path", VolumeAnnotations.LocalPathProvisioner, "WaitForFirstConsumer");

    [Fact]
    public void An_unbound_claim_is_bound_to_the_best_available_volume()
    {
        var step = ClaimSync.Decide(Objects.Claim("data", "1Gi"), [Objects.Volume("pv", "1Gi")], Manual, []);

        Assert.Equal("pv", Assert.IsType<ClaimStep.Bind>(step).Volume.Metadata.Name);
    }

    [Fact]
    public void A_claim_asking_for_a_volume_another_claim_holds_is_told_so()
    {
        var claim = Objects.Claim("data", "1Gi");
        claim.Spec.VolumeName = "pv";
        var taken = Objects.Volume("pv", "1Gi").BoundTo(Objects.Claim("other", "1Gi"));

        var step = ClaimSync.Decide(claim, [taken], Manual, []);

        Assert.Equal(VolumeEvent.Warning("FailedBinding", "volume \"pv\" already bound to a different claim."), Assert.IsType<ClaimStep.Pending>(step).Event);
    }

    [Fact]
    public void A_claim_of_a_class_that_waits_for_its_first_consumer_waits_in_kubes_words()
    {
        var claim = Objects.Claim("data", "1Gi", "local-path");

        var step = ClaimSync.Decide(claim, [Objects.Volume("pv", "1Gi", "local-path")], LocalPath, []);

        Assert.Equal(VolumeEvent.Normal("WaitForFirstConsumer", "waiting for first consumer to be created before binding"), Assert.IsType<ClaimStep.Pending>(step).Event);
    }

    [Fact]
    public void A_waiting_claim_names_the_pods_not_yet_scheduled()
    {
        var step = ClaimSync.Decide(Objects.Claim("data", "1Gi", "local-path"), [], LocalPath, ["web-0"]);

        Assert.Equal(VolumeEvent.Normal("WaitForPodScheduled", "waiting for pod web-0 to be scheduled"), Assert.IsType<ClaimStep.Pending>(step).Event);
    }

    [Fact]
    public void A_waiting_claim_is_bound_to_the_volume_the_scheduler_pre_bound_to_it()
    {
        var claim = Objects.Claim("data", "1Gi", "local-path");

        var step = ClaimSync.Decide(claim, [Objects.Volume("pv", "1Gi", "local-path").BoundTo(claim)], LocalPath, []);

        Assert.IsType<ClaimStep.Bind>(step);
    }

    [Fact]
    public void A_waiting_claim_with_a_selected_node_is_provisioned()
    {
        var claim = Objects.Claim("data", "1Gi", "local-path").Annotated(VolumeAnnotations.SelectedNode, "node-1");

        Assert.IsType<ClaimStep.Provision>(ClaimSync.Decide(claim, [], LocalPath, []));
    }

    [Fact]
    public void A_claim_of_no_class_with_no_volume_says_so()
    {
        var step = ClaimSync.Decide(Objects.Claim("data", "1Gi", ""), [], null, []);

        Assert.Equal(
            VolumeEvent.Normal("FailedBinding", "no persistent volumes available for this claim and no storage class is set"),
            Assert.IsType<ClaimStep.Pending>(step).Event);
    }

    [Fact]
    public void A_claim_naming_a_volume_too_small_is_told_why_it_is_not_bound()
    {
        var claim = Objects.Claim("data", "5Gi");
        claim.Spec.VolumeName = "pv";

        var step = ClaimSync.Decide(claim, [Objects.Volume("pv", "1Gi")], Manual, []);

        Assert.Equal(
            VolumeEvent.Warning("VolumeMismatch", "Cannot bind to requested volume \"pv\": requested PV is too small"),
            Assert.IsType<ClaimStep.Pending>(step).Event);
    }

    [Fact]
    public void A_bound_claim_whose_volume_is_gone_is_lost()
    {
        var claim = Objects.Claim("data", "1Gi").Annotated(VolumeAnnotations.BindCompleted, "yes");
        claim.Spec.VolumeName = "pv";

        var step = ClaimSync.Decide(claim, [], Manual, []);

        Assert.Equal(
            VolumeEvent.Warning("ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!"),
            Assert.IsType<ClaimStep.Lost>(step).Event);
    }

    [Fact]
    public void A_bound_claim_whose_volume_belongs_to_another_claim_is_misbound()
    {
        var claim = Objects.Claim("data", "1Gi").Annotated(VolumeAnnotations.BindCompleted, "yes");
        claim.Spec.VolumeName = "pv";

        var step = ClaimSync.Decide(claim, [Objects.Volume("pv", "1Gi").BoundTo(Objects.Claim("other", "1Gi"))], Manual, []);

        Assert.Equal("ClaimMisbound", Assert.IsType<ClaimStep.Lost>(step).Event.Reason);
    }
}
