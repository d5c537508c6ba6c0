using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

public sealed class LimitRangeRulesTests
{
    private readonly IResourceRules _rules = new LimitRangeRules();

    private static V1LimitRange Range(params V1LimitRangeItem[] items) => new()
    {
        Metadata = new V1ObjectMeta { Name = "limits", NamespaceProperty = "default" },
        Spec = new V1LimitRangeSpec { Limits = items },
    };

    /// <summary>The errors of a new range, after defaulting, as the registry judges it.</summary>
    private IEnumerable<string> Errors(V1LimitRange range)
    {
        _rules.Default(range);
        return _rules.ValidateCreate(range).Select(e => e.ToString());
    }

    private static string Resources(IDictionary<string, ResourceQuantity>? list) =>
        string.Join(",", (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    [Fact]
    public void A_container_item_without_defaults_defaults_its_limit_to_the_max_and_its_request_to_that()
    {
        var range = Range(Item("Container", max: "cpu=2,memory=1Gi"));

        _rules.Default(range);

        Assert.Equal("cpu=2,memory=1Gi", Resources(range.Spec.Limits[0].DefaultProperty));
        Assert.Equal("cpu=2,memory=1Gi", Resources(range.Spec.Limits[0].DefaultRequest));
    }

    [Fact]
    public void The_default_request_is_the_default_limit_before_the_min()
    {
        var range = Range(Item("Container", min: "cpu=100m", defaults: "cpu=500m"));

        _rules.Default(range);

        Assert.Equal("cpu=500m", Resources(range.Spec.Limits[0].DefaultRequest));
    }

    [Fact]
    public void With_no_default_limit_the_default_request_is_the_min()
    {
        var range = Range(Item("Container", min: "cpu=100m,memory=64Mi", max: "memory=1Gi"));

        _rules.Default(range);

        Assert.Equal("memory=1Gi", Resources(range.Spec.Limits[0].DefaultProperty));
        Assert.Equal("cpu=100m,memory=1Gi", Resources(range.Spec.Limits[0].DefaultRequest));
    }

    [Fact]
    public void Given_defaults_are_kept()
    {
        var range = Range(Item("Container", max: "cpu=2", defaults: "cpu=1", defaultRequest: "cpu=250m"));

        _rules.Default(range);

        Assert.Equal("cpu=1", Resources(range.Spec.Limits[0].DefaultProperty));
        Assert.Equal("cpu=250m", Resources(range.Spec.Limits[0].DefaultRequest));
    }

    [Fact]
    public void A_pod_item_gets_no_defaults()
    {
        var range = Range(Item("Pod", max: "cpu=2"));

        _rules.Default(range);

        Assert.Null(range.Spec.Limits[0].DefaultProperty);
        Assert.Null(range.Spec.Limits[0].DefaultRequest);
    }

    [Fact]
    public void A_range_in_order_is_valid()
    {
        Assert.Empty(Errors(Range(
            Item("Container", min: "cpu=100m,memory=64Mi", max: "cpu=2,memory=1Gi", defaults: "cpu=1,memory=512Mi", defaultRequest: "cpu=200m,memory=128Mi", ratio: "cpu=4"),
            Item("Pod", max: "cpu=4"))));
    }

    [Fact]
    public void A_min_above_the_max_is_invalid()
    {
        Assert.Contains("spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1", Errors(Range(Item("Pod", min: "cpu=2", max: "cpu=1"))));
    }

    [Fact]
    public void A_default_above_the_max_is_invalid()
    {
        Assert.Contains(
            "spec.limits[0].default[cpu]: Invalid value: \"1\": default value 2 is greater than max value 1",
            Errors(Range(Item("Container", max: "cpu=1", defaults: "cpu=2", defaultRequest: "cpu=500m"))));
    }

    [Fact]
    public void A_default_request_above_the_default_limit_is_invalid()
    {
        Assert.Equal(
            ["spec.limits[0].defaultRequest[cpu]: Invalid value: \"2\": default request value 2 is greater than default limit value 1"],
            Errors(Range(Item("Container", defaults: "cpu=1", defaultRequest: "cpu=2"))));
    }

    [Fact]
    public void A_pod_item_may_not_set_defaults()
    {
        Assert.Equal(
            [
                "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
                "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
            ],
            Errors(Range(Item("Pod", defaults: "cpu=1", defaultRequest: "cpu=1"))));
    }

    [Fact]
    public void An_unknown_type_is_invalid()
    {
        Assert.Equal(
            ["spec.limits[0].type: Invalid value: \"Node\": must be a standard limit type or fully qualified"],
            Errors(Range(Item("Node", max: "cpu=1"))));
    }

    [Fact]
    public void A_type_may_appear_once()
    {
        Assert.Equal(["spec.limits[1].type: Duplicate value: \"Pod\""], Errors(Range(Item("Pod", max: "cpu=1"), Item("Pod", max: "memory=1Gi"))));
    }

    [Fact]
    public void A_container_item_limits_only_container_resources()
    {
        Assert.Equal(
            ["spec.limits[0].max[pods]: Invalid value: \"pods\": must be a standard resource for containers"],
            Errors(Range(Item("Pod", max: "pods=1"))));
    }

    [Fact]
    public void A_ratio_below_one_is_invalid()
    {
        Assert.Equal(
            ["spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is less than 1"],
            Errors(Range(Item("Container", ratio: "cpu=500m"))));
    }

    [Fact]
    public void A_ratio_above_max_over_min_is_invalid()
    {
        Assert.Equal(
            ["spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"5\": ratio 5 is greater than max/min = 4.000000"],
            Errors(Range(Item("Pod", min: "cpu=250m", max: "cpu=1", ratio: "cpu=5"))));
    }

    [Fact]
    public void A_claim_item_must_bound_its_storage()
    {
        Assert.Equal(
            ["spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided"],
            Errors(Range(new V1LimitRangeItem { Type = "PersistentVolumeClaim" })));
    }
}
