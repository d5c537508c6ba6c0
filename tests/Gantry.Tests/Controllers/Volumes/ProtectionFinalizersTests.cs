using Gantry.Server.Controllers.Volumes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class ProtectionFinalizersTests
{
    [Fact]
    public void A_claim_without_its_finalizer_gets_it()
    {
        Assert.Equal(ProtectionFinalizers.Change.Add, ProtectionFinalizers.ForClaim(Objects.Claim("data", "1Gi"), []));
    }

    [Fact]
    public void A_claim_being_deleted_keeps_its_finalizer_while_a_running_pod_uses_it()
    {
        var claim = Deleting(Objects.Claim("data", "1Gi"));

        Assert.Equal(ProtectionFinalizers.Change.None, ProtectionFinalizers.ForClaim(claim, [Pod("Running")]));
        Assert.Equal(ProtectionFinalizers.Change.Remove, ProtectionFinalizers.ForClaim(claim, [Pod("Succeeded"), Pod("Failed")]));
        Assert.Equal(ProtectionFinalizers.Change.Remove, ProtectionFinalizers.ForClaim(claim, []));
    }

    [Fact]
    public void A_volume_being_deleted_keeps_its_finalizer_while_it_is_bound()
    {
        var volume = Objects.Volume("pv", "1Gi");
        volume.Metadata.Finalizers = [VolumeAnnotations.VolumeProtection];
        volume.Metadata.DeletionTimestamp = DateTime.UtcNow;
        volume.Status.Phase = "Bound";

        Assert.Equal(ProtectionFinalizers.Change.None, ProtectionFinalizers.ForVolume(volume));
        volume.Status.Phase = "Released";
        Assert.Equal(ProtectionFinalizers.Change.Remove, ProtectionFinalizers.ForVolume(volume));
        Assert.Equal(ProtectionFinalizers.Change.Add, ProtectionFinalizers.ForVolume(Objects.Volume("new", "1Gi")));
    }

    private static V1PersistentVolumeClaim Deleting(V1PersistentVolumeClaim claim)
    {
        claim.Metadata.Finalizers = [VolumeAnnotations.ClaimProtection];
        claim.Metadata.DeletionTimestamp = DateTime.UtcNow;
        return claim;
    }

    private static V1Pod Pod(string phase) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"pod-{phase}", NamespaceProperty = "default" },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers = [new V1Container { Name = "main", Image = "busybox" }],
            Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data" } }],
        },
        Status = new V1PodStatus { Phase = phase },
    };
}
