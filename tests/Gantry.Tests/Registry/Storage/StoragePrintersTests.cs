using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Registry.Storage;

public sealed class StoragePrintersTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceType Volumes = ResourceCatalog.Get("", "persistentvolumes");
    private static readonly ResourceType Claims = ResourceCatalog.Get("", "persistentvolumeclaims");
    private static readonly ResourceType StorageClasses = ResourceCatalog.Get("storage.k8s.io", "storageclasses");

    private static JsonArray Cells(ResourceType type, string json) =>
        TableConverter.ForObject(type, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray();

    private static string Columns(ResourceType type) =>
        string.Join(",", TableConverter.ForList(type, [], Now, IncludeObjectPolicy.Metadata, "1", null)["columnDefinitions"]!.AsArray()
            .Select(c => $"{(string?)c!["name"]}{((int)c["priority"]! == 1 ? "*" : "")}"));

    [Fact]
    public void Volume_columns_are_kubectls_with_the_volume_mode_wide()
    {
        Assert.Equal("Name,Capacity,Access Modes,Reclaim Policy,Status,Claim,StorageClass,VolumeAttributesClass,Reason,Age,VolumeMode*", Columns(Volumes));
    }

    [Fact]
    public void A_bound_volume_shows_its_capacity_modes_and_claim()
    {
        var cells = Cells(Volumes, """
            {"metadata": {"name": "pv-1", "creationTimestamp": "2025-06-01T11:55:00Z"},
             "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                      "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual", "volumeMode": "Filesystem",
                      "claimRef": {"namespace": "default", "name": "data"}},
             "status": {"phase": "Bound"}}
            """);

        Assert.Equal(
            ["pv-1", "1Gi", "RWO,RWX", "Retain", "Bound", "default/data", "manual", "<unset>", "", "5m", "Filesystem"],
            cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void A_deleted_volume_is_terminating()
    {
        var cells = Cells(Volumes, """
            {"metadata": {"name": "pv-1", "deletionTimestamp": "2025-06-01T11:59:00Z"}, "spec": {}, "status": {"phase": "Released"}}
            """);

        Assert.Equal("Terminating", (string?)cells[4]);
    }

    [Fact]
    public void Claim_columns_are_kubectls_with_the_volume_mode_wide()
    {
        Assert.Equal("Name,Status,Volume,Capacity,Access Modes,StorageClass,VolumeAttributesClass,Age,VolumeMode*", Columns(Claims));
    }

    [Fact]
    public void A_pending_claim_shows_no_capacity_or_modes()
    {
        var cells = Cells(Claims, """
            {"metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:00:00Z"},
             "spec": {"accessModes": ["ReadWriteOncePod"], "resources": {"requests": {"storage": "1Gi"}}, "storageClassName": "local-path"},
             "status": {"phase": "Pending"}}
            """);

        Assert.Equal(["data", "Pending", "", "", "", "local-path", "<unset>", "60m", "<unset>"], cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void A_bound_claim_shows_its_volumes_capacity_and_modes()
    {
        var cells = Cells(Claims, """
            {"metadata": {"name": "data"},
             "spec": {"volumeName": "pv-1", "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"},
             "status": {"phase": "Bound", "capacity": {"storage": "2Gi"}, "accessModes": ["ReadOnlyMany", "ReadWriteOncePod"]}}
            """);

        Assert.Equal(("pv-1", "2Gi", "ROX,RWOP"), ((string?)cells[2], (string?)cells[3], (string?)cells[4]));
    }

    [Fact]
    public void A_claims_beta_class_annotation_is_its_class()
    {
        var cells = Cells(Claims, """
            {"metadata": {"name": "data", "annotations": {"volume.beta.kubernetes.io/storage-class": "slow"}},
             "spec": {"storageClassName": "fast"}, "status": {}}
            """);

        Assert.Equal("slow", (string?)cells[5]);
    }

    [Fact]
    public void Storage_class_columns_are_kubectls()
    {
        Assert.Equal("Name,Provisioner,ReclaimPolicy,VolumeBindingMode,AllowVolumeExpansion,Age", Columns(StorageClasses));
    }

    [Fact]
    public void The_default_class_is_named_default()
    {
        var cells = Cells(StorageClasses, """
            {"metadata": {"name": "local-path", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
             "provisioner": "gantry.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}
            """);

        Assert.Equal(["local-path (default)", "gantry.io/local-path", "Delete", "WaitForFirstConsumer", "false", "<unknown>"], cells.Select(c => c!.ToString()));
    }
}
