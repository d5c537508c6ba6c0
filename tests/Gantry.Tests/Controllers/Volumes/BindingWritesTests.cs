using Gantry.Server.Controllers.Volumes;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class BindingWritesTests
{
    [Fact]
    public void A_volume_the_controller_chose_points_at_the_claim_and_says_the_controller_bound_it()
    {
        var claim = Objects.Claim("data", "1Gi");

        var volume = BindingWrites.Volume(Objects.Volume("pv", "1Gi"), claim)!;

        Assert.Equal(("PersistentVolumeClaim", "v1", "default", "data", "uid-data", "7"), (volume.Spec.ClaimRef.Kind, volume.Spec.ClaimRef.ApiVersion,
            volume.Spec.ClaimRef.NamespaceProperty, volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Uid, volume.Spec.ClaimRef.ResourceVersion));
        Assert.Equal("yes", volume.Metadata.Annotations[VolumeAnnotations.BoundByController]);
    }

    [Fact]
    public void A_volume_the_user_pre_bound_gets_the_claims_uid_but_not_the_controllers_mark()
    {
        var claim = Objects.Claim("data", "1Gi");
        var prebound = Objects.Volume("pv", "1Gi").BoundTo(claim);
        prebound.Spec.ClaimRef.Uid = null;

        var volume = BindingWrites.Volume(prebound, claim)!;

        Assert.Equal("uid-data", volume.Spec.ClaimRef.Uid);
        Assert.Null(volume.Metadata.Annotations);
    }

    [Fact]
    public void A_volume_already_bound_to_the_claim_needs_no_write()
    {
        var claim = Objects.Claim("data", "1Gi");

        Assert.Null(BindingWrites.Volume(Objects.Volume("pv", "1Gi").BoundTo(claim), claim));
    }

    [Fact]
    public void The_claim_names_the_volume_with_bind_completed_and_bound_by_controller()
    {
        var claim = BindingWrites.Claim(Objects.Claim("data", "1Gi"), Objects.Volume("pv", "1Gi"))!;

        Assert.Equal("pv", claim.Spec.VolumeName);
        Assert.Equal("yes", claim.Metadata.Annotations[VolumeAnnotations.BindCompleted]);
        Assert.Equal("yes", claim.Metadata.Annotations[VolumeAnnotations.BoundByController]);
    }

    [Fact]
    public void A_claim_that_named_its_volume_itself_is_not_marked_bound_by_the_controller()
    {
        var named = Objects.Claim("data", "1Gi");
        named.Spec.VolumeName = "pv";

        var claim = BindingWrites.Claim(named, Objects.Volume("pv", "1Gi"))!;

        Assert.False(claim.Metadata.Annotations.ContainsKey(VolumeAnnotations.BoundByController));
        Assert.Equal("yes", claim.Metadata.Annotations[VolumeAnnotations.BindCompleted]);
    }

    [Fact]
    public void A_bound_claims_status_has_the_volumes_capacity_and_access_modes()
    {
        var status = BindingWrites.ClaimStatus(Objects.Claim("data", "1Gi"), "Bound", Objects.Volume("pv", "5Gi", "manual", "ReadWriteOnce", "ReadOnlyMany"))!.Status;

        Assert.Equal("Bound", status.Phase);
        Assert.Equal("5Gi", status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce", "ReadOnlyMany"], status.AccessModes);
    }

    [Fact]
    public void Unbinding_a_volume_the_controller_bound_frees_it_and_one_the_user_bound_keeps_the_claims_name()
    {
        var claim = Objects.Claim("data", "1Gi");
        var byController = Objects.Volume("pv", "1Gi").BoundTo(claim).Annotated(VolumeAnnotations.BoundByController, "yes");

        Assert.Null(BindingWrites.Unbound(byController).Spec.ClaimRef);
        var byUser = BindingWrites.Unbound(Objects.Volume("pv", "1Gi").BoundTo(claim));
        Assert.Equal(("data", null), (byUser.Spec.ClaimRef.Name, byUser.Spec.ClaimRef.Uid));
    }
}
