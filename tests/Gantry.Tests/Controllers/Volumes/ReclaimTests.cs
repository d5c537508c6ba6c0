using Gantry.Server.Controllers.Volumes;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class ReclaimTests
{
    [Fact]
    public void A_retained_volume_is_kept()
    {
        Assert.IsType<ReclaimStep.Keep>(Reclaim.Decide(Objects.Volume("pv", "1Gi")));
    }

    [Fact]
    public void A_volume_the_local_path_provisioner_made_is_deleted_by_it()
    {
        var volume = Objects.Volume("pv", "1Gi").Annotated(VolumeAnnotations.ProvisionedBy, VolumeAnnotations.LocalPathProvisioner);
        volume.Spec.PersistentVolumeReclaimPolicy = "Delete";

        Assert.IsType<ReclaimStep.DeleteLocalPath>(Reclaim.Decide(volume));
    }

    [Fact]
    public void A_volume_to_delete_that_no_plugin_can_delete_fails_in_kubes_words()
    {
        var volume = Objects.Volume("pv", "1Gi");
        volume.Spec.PersistentVolumeReclaimPolicy = "Delete";

        var fail = Assert.IsType<ReclaimStep.Fail>(Reclaim.Decide(volume));

        Assert.Equal(
            VolumeEvent.Warning("VolumeFailedDelete", "error getting deleter volume plugin for volume \"pv\": no deletable volume plugin matched"), fail.Event);
    }

    [Fact]
    public void A_volume_an_external_provisioner_made_is_left_to_it()
    {
        var volume = Objects.Volume("pv", "1Gi").Annotated(VolumeAnnotations.ProvisionedBy, "ebs.csi.aws.com");
        volume.Spec.PersistentVolumeReclaimPolicy = "Delete";

        Assert.IsType<ReclaimStep.Keep>(Reclaim.Decide(volume));
    }
}
