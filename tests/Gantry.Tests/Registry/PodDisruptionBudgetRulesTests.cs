using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class PodDisruptionBudgetRulesTests
{
    private readonly IResourceRules _rules = new PodDisruptionBudgetRules();

    private static V1PodDisruptionBudget Budget(IntOrString? minAvailable = null, IntOrString? maxUnavailable = null, string? policy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            MaxUnavailable = maxUnavailable,
            UnhealthyPodEvictionPolicy = policy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        },
    };

    private IEnumerable<string> Errors(V1PodDisruptionBudget pdb) => _rules.ValidateCreate(pdb).Select(e => e.ToString());

    [Fact]
    public void An_integer_or_a_percentage_is_valid()
    {
        Assert.Empty(Errors(Budget(minAvailable: 2)));
        Assert.Empty(Errors(Budget(maxUnavailable: "25%")));
    }

    [Fact]
    public void MinAvailable_and_maxUnavailable_cannot_be_both_set()
    {
        Assert.Equal(
            ["spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set"],
            Errors(Budget(minAvailable: 1, maxUnavailable: 1)));
    }

    [Fact]
    public void A_negative_count_is_invalid()
    {
        Assert.Equal(["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"], Errors(Budget(minAvailable: -1)));
    }

    [Fact]
    public void A_percentage_over_100_is_invalid()
    {
        Assert.Equal(
            ["spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"],
            Errors(Budget(maxUnavailable: "150%")));
    }

    [Fact]
    public void A_string_that_is_no_percentage_is_invalid()
    {
        Assert.Single(Errors(Budget(minAvailable: "half")), e => e.StartsWith("spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid percent string", StringComparison.Ordinal));
    }

    [Fact]
    public void The_unhealthy_pod_eviction_policy_is_one_of_two()
    {
        Assert.Empty(Errors(Budget(minAvailable: 1, policy: "AlwaysAllow")));
        Assert.Equal(
            ["spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""],
            Errors(Budget(minAvailable: 1, policy: "Sometimes")));
    }

    [Fact]
    public void A_status_with_negative_counts_or_a_condition_without_a_reason_is_invalid()
    {
        var pdb = Budget(minAvailable: 1);
        pdb.Status = new V1PodDisruptionBudgetStatus
        {
            DisruptionsAllowed = -1,
            Conditions = [new V1Condition { Type = "DisruptionAllowed", Status = "True", Reason = "", Message = "", LastTransitionTime = DateTime.UnixEpoch }],
        };

        Assert.Equal(
            ["status.conditions[0].reason: Required value: must be set", "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0"],
            _rules.ValidateStatusUpdate(pdb, Budget(minAvailable: 1)).Select(e => e.ToString()));
    }
}
