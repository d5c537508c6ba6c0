using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Storage.StorageObjects;

namespace Gantry.Tests.Registry.Storage;

public sealed class PersistentVolumeClaimRulesTests
{
    private const string Immutable = "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n";

    private readonly IResourceRules _rules = new PersistentVolumeClaimRules();

    private List<string> Errors(V1PersistentVolumeClaim claim)
    {
        _rules.Default(claim);
        return [.. _rules.ValidateCreate(claim).Select(e => e.ToString())];
    }

    private List<string> UpdateErrors(V1PersistentVolumeClaim claim, V1PersistentVolumeClaim old)
    {
        _rules.Default(old);
        _rules.Default(claim);
        return [.. _rules.ValidateUpdate(claim, old).Select(e => e.ToString())];
    }

    /// <summary>A claim bound to <c>pv-1</c> with the capacity it asked for, as the volume controller leaves it.</summary>
    private static V1PersistentVolumeClaim Bound(string request = "1Gi")
    {
        var claim = Claim(request: request, storageClass: "fast");
        claim.Spec.VolumeName = "pv-1";
        claim.Status = new V1PersistentVolumeClaimStatus
        {
            Phase = "Bound",
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
        };
        return claim;
    }

    [Fact]
    public void A_new_claim_is_pending_and_a_filesystem()
    {
        var claim = Claim();

        _rules.Default(claim);

        Assert.Equal(("Pending", "Filesystem"), (claim.Status.Phase, claim.Spec.VolumeMode));
    }

    [Fact]
    public void A_claim_needs_at_least_one_access_mode()
    {
        var claim = Claim();
        claim.Spec.AccessModes = [];

        Assert.Equal(["spec.accessModes: Required value: at least 1 access mode is required"], Errors(claim));
    }

    [Fact]
    public void A_claim_needs_a_storage_request()
    {
        var claim = Claim();
        claim.Spec.Resources.Requests.Clear();

        Assert.Equal(["spec.resources[storage]: Required value"], Errors(claim));
    }

    [Fact]
    public void A_storage_request_must_be_greater_than_zero()
    {
        Assert.Equal(["spec.resources[storage]: Invalid value: \"0\": must be greater than zero"], Errors(Claim(request: "0")));
    }

    [Fact]
    public void A_class_name_must_be_a_dns_subdomain()
    {
        var error = Assert.Single(Errors(Claim(storageClass: "Fast_Disks")));

        Assert.StartsWith("spec.storageClassName: Invalid value: \"Fast_Disks\": a lowercase RFC 1123 subdomain", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_volume_name_may_be_set_once()
    {
        var named = Claim();
        named.Spec.VolumeName = "pv-1";
        var renamed = Claim();
        renamed.Spec.VolumeName = "pv-2";

        Assert.Empty(UpdateErrors(named, Claim()));
        Assert.StartsWith(Immutable, Assert.Single(UpdateErrors(renamed, named)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_access_modes_of_a_claim_are_immutable()
    {
        var claim = Claim();
        claim.Spec.AccessModes = ["ReadWriteMany"];

        Assert.StartsWith(Immutable, Assert.Single(UpdateErrors(claim, Claim())), StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_without_a_class_may_be_given_one_but_a_class_never_changes()
    {
        Assert.Empty(UpdateErrors(Claim(storageClass: "fast"), Claim()));
        Assert.StartsWith(Immutable, Assert.Single(UpdateErrors(Claim(storageClass: "slow"), Claim(storageClass: "fast"))), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unbound_claim_may_not_change_its_request()
    {
        Assert.StartsWith(Immutable, Assert.Single(UpdateErrors(Claim(request: "2Gi"), Claim())), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_claim_may_grow_its_request()
    {
        Assert.Empty(UpdateErrors(Bound("2Gi"), Bound()));
    }

    [Fact]
    public void A_bound_claim_may_not_shrink_to_its_capacity()
    {
        var shrunk = Bound("1Gi");

        Assert.Equal(["spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"], UpdateErrors(shrunk, Bound("2Gi")));
    }

    [Fact]
    public void The_volume_mode_of_a_claim_is_immutable()
    {
        var claim = Claim();
        claim.Spec.VolumeMode = "Block";

        var errors = UpdateErrors(claim, Claim());

        Assert.Contains("volumeMode: Invalid value: \"Block\": field is immutable", errors);
    }

    [Fact]
    public void A_status_write_needs_the_spec_access_modes()
    {
        var claim = Bound();
        claim.Spec.AccessModes = [];

        Assert.Equal(["Spec.accessModes: Required value"], _rules.ValidateStatusUpdate(claim, Bound()).Select(e => e.ToString()));
    }
}
