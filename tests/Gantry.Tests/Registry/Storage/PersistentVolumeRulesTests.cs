using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Storage.StorageObjects;

namespace Gantry.Tests.Registry.Storage;

public sealed class PersistentVolumeRulesTests
{
    private readonly IResourceRules _rules = new PersistentVolumeRules();

    private List<string> Errors(V1PersistentVolume pv)
    {
        _rules.Default(pv);
        return [.. _rules.ValidateCreate(pv).Select(e => e.ToString())];
    }

    private List<string> UpdateErrors(V1PersistentVolume pv, V1PersistentVolume old)
    {
        _rules.Default(old);
        _rules.Default(pv);
        return [.. _rules.ValidateUpdate(pv, old).Select(e => e.ToString())];
    }

    [Fact]
    public void A_new_volume_is_pending_retained_and_a_filesystem()
    {
        var pv = HostPathVolume();

        _rules.Default(pv);

        Assert.Equal(("Pending", "Retain", "Filesystem", ""), (pv.Status.Phase, pv.Spec.PersistentVolumeReclaimPolicy, pv.Spec.VolumeMode, pv.Spec.HostPath.Type));
    }

    [Fact]
    public void A_host_path_volume_is_valid()
    {
        Assert.Empty(Errors(HostPathVolume()));
    }

    [Fact]
    public void A_volume_without_a_source_must_specify_a_volume_type()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath = null;

        Assert.Equal(["spec: Required value: must specify a volume type"], Errors(pv));
    }

    [Fact]
    public void A_volume_with_two_sources_is_refused_for_the_second()
    {
        var pv = HostPathVolume();
        pv.Spec.Nfs = new V1NFSVolumeSource { Server = "nfs.local", Path = "/exports" };

        Assert.Equal(["spec.nfs: Forbidden: may not specify more than 1 volume type"], Errors(pv));
    }

    [Fact]
    public void A_volume_needs_access_modes_and_a_storage_capacity()
    {
        var pv = HostPathVolume();
        pv.Spec.AccessModes = null;
        pv.Spec.Capacity = null;

        Assert.Equal(
            [
                "spec.accessModes: Required value",
                "spec.capacity: Required value",
                "spec.capacity: Unsupported value: core.ResourceList{...}: supported values: \"storage\"",
            ],
            Errors(pv));
    }

    [Fact]
    public void An_unknown_access_mode_is_not_supported()
    {
        var pv = HostPathVolume();
        pv.Spec.AccessModes = ["ReadWriteSometimes"];

        Assert.Equal(
            ["spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""],
            Errors(pv));
    }

    [Fact]
    public void Read_write_once_pod_may_not_be_combined_with_other_modes()
    {
        var pv = HostPathVolume();
        pv.Spec.AccessModes = ["ReadWriteOncePod", "ReadOnlyMany"];

        Assert.Equal(["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"], Errors(pv));
    }

    [Fact]
    public void A_zero_capacity_must_be_greater_than_zero()
    {
        var pv = HostPathVolume(capacity: "0");

        Assert.Equal(["spec.capacity[storage]: Invalid value: \"0\": must be greater than zero"], Errors(pv));
    }

    [Fact]
    public void A_local_volume_requires_node_affinity()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath = null;
        pv.Spec.Local = new V1LocalVolumeSource { Path = "/mnt/disks/ssd1" };

        Assert.Equal(["spec.nodeAffinity: Required value: Local volume requires node affinity"], Errors(pv));
    }

    [Fact]
    public void Node_affinity_needs_at_least_one_term()
    {
        var pv = HostPathVolume();
        pv.Spec.NodeAffinity = new V1VolumeNodeAffinity { Required = new V1NodeSelector { NodeSelectorTerms = [] } };

        Assert.Equal(["spec.nodeAffinity.required.nodeSelectorTerms: Required value: must have at least one node selector term"], Errors(pv));
    }

    [Fact]
    public void A_host_path_may_not_step_back()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath.Path = "/data/../etc";

        Assert.Equal(["spec.hostPath.path: Invalid value: \"/data/../etc\": must not contain '..'"], Errors(pv));
    }

    [Fact]
    public void An_nfs_path_must_be_absolute()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath = null;
        pv.Spec.Nfs = new V1NFSVolumeSource { Server = "nfs.local", Path = "exports" };

        Assert.Equal(["spec.nfs.path: Invalid value: \"exports\": must be an absolute path"], Errors(pv));
    }

    [Fact]
    public void A_csi_volume_needs_a_driver_and_a_volume_handle()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath = null;
        pv.Spec.Csi = new V1CSIPersistentVolumeSource { Driver = "", VolumeHandle = "" };

        var errors = Errors(pv);

        Assert.Contains("spec.csi.driver: Required value", errors);
        Assert.Contains("spec.csi.volumeHandle: Required value", errors);
    }

    [Fact]
    public void An_unknown_reclaim_policy_is_not_supported()
    {
        var pv = HostPathVolume();
        pv.Spec.PersistentVolumeReclaimPolicy = "Keep";

        Assert.Equal(
            ["spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\""],
            Errors(pv));
    }

    [Fact]
    public void The_source_is_immutable_after_creation()
    {
        var pv = HostPathVolume();
        pv.Spec.HostPath.Path = "/elsewhere";

        var error = Assert.Single(UpdateErrors(pv, HostPathVolume()));

        Assert.StartsWith("spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_claim_reference_reclaim_policy_and_mount_options_may_change()
    {
        var pv = HostPathVolume(capacity: "2Gi");
        pv.Spec.PersistentVolumeReclaimPolicy = "Delete";
        pv.Spec.MountOptions = ["ro"];
        pv.Spec.ClaimRef = new V1ObjectReference { Kind = "PersistentVolumeClaim", NamespaceProperty = "default", Name = "data" };

        Assert.Empty(UpdateErrors(pv, HostPathVolume()));
    }

    [Fact]
    public void The_volume_mode_is_immutable()
    {
        var pv = HostPathVolume();
        pv.Spec.VolumeMode = "Block";

        Assert.Equal(["volumeMode: Invalid value: \"Block\": field is immutable"], UpdateErrors(pv, HostPathVolume()));
    }

    [Fact]
    public void Node_affinity_may_be_set_where_there_was_none_but_not_changed()
    {
        static V1VolumeNodeAffinity On(string node) => new()
        {
            Required = new V1NodeSelector
            {
                NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
            },
        };
        var set = HostPathVolume();
        set.Spec.NodeAffinity = On("node-1");
        var moved = HostPathVolume();
        moved.Spec.NodeAffinity = On("node-2");

        Assert.Empty(UpdateErrors(set, HostPathVolume()));
        Assert.Equal(["nodeAffinity: Invalid value: &core.VolumeNodeAffinity{...}: field is immutable"], UpdateErrors(moved, set));
    }
}
