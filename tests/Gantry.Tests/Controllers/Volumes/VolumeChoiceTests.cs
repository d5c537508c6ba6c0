using Gantry.Server.Controllers.Volumes;
using Xunit;

namespace Gantry.Tests.Controllers.Volumes;

public sealed class VolumeChoiceTests
{
    [Fact]
    public void The_smallest_volume_large_enough_is_chosen()
    {
        var claim = Objects.Claim("data", "2Gi");

        var chosen = VolumeChoice.BestFor(claim, [Objects.Volume("big", "10Gi"), Objects.Volume("small", "1Gi"), Objects.Volume("fits", "3Gi")], delayBinding: false);

        Assert.Equal("fits", chosen?.Metadata.Name);
    }

    [Fact]
    public void A_volume_of_another_class_or_lacking_an_access_mode_is_not_chosen()
    {
        var claim = Objects.Claim("data", "1Gi", "manual", "ReadWriteMany");

        var chosen = VolumeChoice.BestFor(claim, [Objects.Volume("other-class", "1Gi", "fast", "ReadWriteMany"), Objects.Volume("rwo", "1Gi")], delayBinding: false);

        Assert.Null(chosen);
    }

    [Fact]
    public void A_volume_offering_fewer_access_modes_is_preferred_to_a_smaller_one_offering_more()
    {
        var claim = Objects.Claim("data", "1Gi");

        var chosen = VolumeChoice.BestFor(
            claim, [Objects.Volume("many", "1Gi", "manual", "ReadWriteOnce", "ReadOnlyMany"), Objects.Volume("one", "5Gi")], delayBinding: false);

        Assert.Equal("one", chosen?.Metadata.Name);
    }

    [Fact]
    public void A_volume_pre_bound_to_another_claim_is_not_chosen_but_one_pre_bound_to_this_claim_is_even_when_larger()
    {
        var claim = Objects.Claim("data", "1Gi");
        var other = Objects.Volume("other", "1Gi").BoundTo(Objects.Claim("someone-else", "1Gi"));
        var mine = Objects.Volume("mine", "9Gi").BoundTo(claim);

        Assert.Equal("mine", VolumeChoice.BestFor(claim, [other, mine, Objects.Volume("free", "2Gi")], delayBinding: false)?.Metadata.Name);
        Assert.Null(VolumeChoice.BestFor(claim, [other], delayBinding: false));
    }

    [Fact]
    public void With_binding_delayed_only_a_volume_pre_bound_to_the_claim_is_chosen()
    {
        var claim = Objects.Claim("data", "1Gi");

        Assert.Null(VolumeChoice.BestFor(claim, [Objects.Volume("free", "1Gi")], delayBinding: true));
        Assert.Equal("mine", VolumeChoice.BestFor(claim, [Objects.Volume("mine", "1Gi").BoundTo(claim)], delayBinding: true)?.Metadata.Name);
    }

    [Fact]
    public void A_claim_selector_limits_the_volumes_to_those_labelled_so()
    {
        var claim = Objects.Claim("data", "1Gi");
        claim.Spec.Selector = new k8s.Models.V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["disk"] = "ssd" } };
        var labelled = Objects.Volume("ssd", "5Gi");
        labelled.Metadata.Labels = new Dictionary<string, string> { ["disk"] = "ssd" };

        Assert.Equal("ssd", VolumeChoice.BestFor(claim, [Objects.Volume("plain", "1Gi"), labelled], delayBinding: false)?.Metadata.Name);
    }

    [Fact]
    public void A_named_volume_too_small_for_the_claim_says_so()
    {
        Assert.Equal("requested PV is too small", VolumeChoice.Unsatisfied(Objects.Volume("pv", "1Gi"), Objects.Claim("data", "2Gi")));
        Assert.Equal("storageClassName does not match", VolumeChoice.Unsatisfied(Objects.Volume("pv", "2Gi", "fast"), Objects.Claim("data", "2Gi")));
        Assert.Null(VolumeChoice.Unsatisfied(Objects.Volume("pv", "2Gi"), Objects.Claim("data", "2Gi")));
    }
}
