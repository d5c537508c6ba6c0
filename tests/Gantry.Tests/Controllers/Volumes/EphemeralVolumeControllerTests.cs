using Gantry.Core.Volumes;
using Gantry.Server.Controllers.Volumes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class EphemeralVolumeControllerTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "pod-uid" },
        Spec = new V1PodSpec
        {
            Volumes =
            [
                new V1Volume
                {
                    Name = "cache",
                    Ephemeral = new V1EphemeralVolumeSource
                    {
                        VolumeClaimTemplate = new V1PersistentVolumeClaimTemplate
                        {
                            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["tier"] = "cache" } },
                            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], StorageClassName = "local-path" },
                        },
                    },
                },
                new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "shared" } },
            ],
        },
    };

    [Fact]
    public void An_ephemeral_volumes_claim_is_named_after_the_pod_and_the_volume()
    {
        Assert.Equal(["web-cache", "shared"], ClaimUse.ClaimsOf(Pod));
    }

    [Fact]
    public void The_claim_made_for_an_ephemeral_volume_is_the_templates_owned_by_the_pod()
    {
        var claim = EphemeralVolumeController.ClaimFor(Pod, "web-cache", Pod.Spec.Volumes[0].Ephemeral.VolumeClaimTemplate);

        Assert.Equal(("web-cache", "shop", "cache", "local-path"), (claim.Metadata.Name, claim.Metadata.NamespaceProperty, claim.Metadata.Labels["tier"], claim.Spec.StorageClassName));
        var owner = Assert.Single(claim.Metadata.OwnerReferences);
        Assert.Equal(("Pod", "web", "pod-uid", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.True(ClaimUse.IsForPod(Pod, claim));
    }
}
