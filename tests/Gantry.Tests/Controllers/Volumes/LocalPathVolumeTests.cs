using Gantry.Server.Controllers.Volumes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class LocalPathVolumeTests
{
    [Fact]
    public void A_provisioned_volume_is_a_directory_on_the_selected_node_pre_bound_to_the_claim()
    {
        var claim = Objects.Claim("data", "2Gi", "local-path");
        var storageClass = Objects.Class("local-path", VolumeAnnotations.LocalPathProvisioner, "WaitForFirstConsumer");
        storageClass.Parameters = new Dictionary<string, string> { ["nodePath"] = "/srv/volumes/" };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "host-1" } } };

        var volume = LocalPathVolume.New(claim, storageClass, node);

        Assert.Equal("pvc-uid-data", volume.Metadata.Name);
        Assert.Equal(VolumeAnnotations.LocalPathProvisioner, volume.Metadata.Annotations[VolumeAnnotations.ProvisionedBy]);
        Assert.Equal(("2Gi", "Delete", "local-path", "Filesystem"), (volume.Spec.Capacity["storage"].ToString(), volume.Spec.PersistentVolumeReclaimPolicy,
            volume.Spec.StorageClassName, volume.Spec.VolumeMode));
        Assert.Equal(["ReadWriteOnce"], volume.Spec.AccessModes);
        Assert.Equal(("/srv/volumes/pvc-uid-data_default_data", "DirectoryOrCreate"), (volume.Spec.HostPath.Path, volume.Spec.HostPath.Type));
        var requirement = Assert.Single(Assert.Single(volume.Spec.NodeAffinity.Required.NodeSelectorTerms).MatchExpressions);
        Assert.Equal(("kubernetes.io/hostname", "In", "host-1"), (requirement.Key, requirement.OperatorProperty, Assert.Single(requirement.Values)));
        Assert.Equal(("default", "data", "uid-data"), (volume.Spec.ClaimRef.NamespaceProperty, volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Uid));
        Assert.Equal("host-1", LocalPathVolume.HostnameOf(volume));
    }

    [Fact]
    public void The_cleanup_pod_runs_rm_on_the_volumes_node_with_its_parent_directory_mounted()
    {
        var claim = Objects.Claim("data", "1Gi", "local-path");
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } };
        var volume = LocalPathVolume.New(claim, Objects.Class("local-path", VolumeAnnotations.LocalPathProvisioner), node);

        var pod = LocalPathCleanup.Pod(volume, volume.Spec.HostPath.Path, "node-1");

        Assert.Equal(("helper-pod-delete-pvc-uid-data", "kube-system", "node-1", "process"),
            (pod.Metadata.Name, pod.Metadata.NamespaceProperty, pod.Spec.NodeName, pod.Spec.RuntimeClassName));
        Assert.Equal(["rm", "-rf", "/var/lib/gantry/local-path/pvc-uid-data_default_data"], Assert.Single(pod.Spec.Containers).Command);
        Assert.Equal("/var/lib/gantry/local-path", Assert.Single(pod.Spec.Volumes).HostPath.Path);
        Assert.Equal("pvc-uid-data", LocalPathCleanup.VolumeOf(pod));
    }

    [Fact]
    public void Only_the_directory_the_provisioner_names_for_the_volumes_claim_may_be_removed()
    {
        var claim = Objects.Claim("data", "1Gi", "local-path");
        var storageClass = Objects.Class("local-path", VolumeAnnotations.LocalPathProvisioner);
        var volume = LocalPathVolume.New(claim, storageClass, new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });

        Assert.Equal("/var/lib/gantry/local-path/pvc-uid-data_default_data", LocalPathVolume.DirectoryOf(volume, storageClass));
        volume.Spec.ClaimRef.Name = "other";
        Assert.NotEqual(volume.Spec.HostPath.Path, LocalPathVolume.DirectoryOf(volume, storageClass));
        volume.Spec.ClaimRef = null;
        Assert.Null(LocalPathVolume.DirectoryOf(volume, storageClass));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("relative/path")]
    [InlineData("/srv/../etc")]
    public void A_node_path_that_is_not_an_absolute_directory_below_the_root_is_refused(string nodePath)
    {
        var storageClass = Objects.Class("local-path", VolumeAnnotations.LocalPathProvisioner);
        storageClass.Parameters = new Dictionary<string, string> { ["nodePath"] = nodePath };

        Assert.Null(LocalPathVolume.NodePathOf(storageClass));
    }
}
