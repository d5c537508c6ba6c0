using Gantry.Server.Controllers.Volumes;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class VolumeSyncTests
{
    [Fact]
    public void A_volume_with_no_claim_is_available()
    {
        Assert.Equal(new VolumeStep.SetPhase("Available"), VolumeSync.Decide(Objects.Volume("pv", "1Gi"), null));
    }

    [Fact]
    public void A_volume_whose_claim_is_gone_is_released()
    {
        var claim = Objects.Claim("data", "1Gi");

        Assert.IsType<VolumeStep.Release>(VolumeSync.Decide(Objects.Volume("pv", "1Gi").BoundTo(claim), null));
    }

    [Fact]
    public void A_volume_whose_claim_was_replaced_by_another_of_its_name_is_released()
    {
        var old = Objects.Claim("data", "1Gi");
        var replacement = Objects.Claim("data", "1Gi");
        replacement.Metadata.Uid = "another-uid";

        Assert.IsType<VolumeStep.Release>(VolumeSync.Decide(Objects.Volume("pv", "1Gi").BoundTo(old), replacement));
    }

    [Fact]
    public void A_volume_whose_claim_names_it_is_bound()
    {
        var claim = Objects.Claim("data", "1Gi");
        claim.Spec.VolumeName = "pv";

        Assert.Equal(new VolumeStep.SetPhase("Bound"), VolumeSync.Decide(Objects.Volume("pv", "1Gi").BoundTo(claim), claim));
    }

    [Fact]
    public void A_volume_pointing_at_a_claim_not_yet_bound_leaves_the_binding_to_the_claims_sync()
    {
        var claim = Objects.Claim("data", "1Gi");

        Assert.Equal(new VolumeStep.SyncClaim(null, null), VolumeSync.Decide(Objects.Volume("pv", "1Gi").BoundTo(claim), claim));
    }

    [Fact]
    public void A_provisioned_volume_whose_claim_was_bound_elsewhere_is_released_and_another_is_unbound()
    {
        var claim = Objects.Claim("data", "1Gi");
        claim.Spec.VolumeName = "elsewhere";
        var provisioned = Objects.Volume("pv", "1Gi").BoundTo(claim).Annotated(VolumeAnnotations.ProvisionedBy, VolumeAnnotations.LocalPathProvisioner);
        provisioned.Spec.PersistentVolumeReclaimPolicy = "Delete";

        Assert.IsType<VolumeStep.Release>(VolumeSync.Decide(provisioned, claim));
        Assert.IsType<VolumeStep.Unbind>(VolumeSync.Decide(Objects.Volume("pv", "1Gi").BoundTo(claim), claim));
    }
}
