using Gantry.Server.Registry;
using Gantry.Server.Registry.Quota;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

public sealed class ResourceQuotaRulesTests
{
    private readonly IResourceRules _rules = new ResourceQuotaRules();

    private static V1ResourceQuota Quota(string hard, params string[] scopes) => new()
    {
        Metadata = new V1ObjectMeta { Name = "q", NamespaceProperty = "default" },
        Spec = new V1ResourceQuotaSpec { Hard = List(hard), Scopes = scopes.Length > 0 ? scopes : null },
    };

    private static V1ResourceQuota Selected(string hard, params V1ScopedResourceSelectorRequirement[] requirements)
    {
        var quota = Quota(hard);
        quota.Spec.ScopeSelector = new V1ScopeSelector { MatchExpressions = requirements };
        return quota;
    }

    private static V1ScopedResourceSelectorRequirement Requirement(string scope, string op, params string[] values) =>
        new() { ScopeName = scope, OperatorProperty = op, Values = values.Length > 0 ? values : null };

    private IEnumerable<string> Errors(V1ResourceQuota quota) => _rules.ValidateCreate(quota).Select(e => e.ToString());

    [Fact]
    public void Standard_and_qualified_resources_with_whole_counts_are_valid()
    {
        Assert.Empty(Errors(Quota("pods=10,requests.cpu=1500m,limits.memory=2Gi,services.nodeports=2,count/deployments.apps=3,requests.example.com/gpu=2,hugepages-2Mi=1Gi")));
    }

    [Fact]
    public void A_resource_that_is_no_standard_quota_resource_is_invalid()
    {
        Assert.Equal(
            [
                "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource type or fully qualified",
                "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource for quota",
            ],
            Errors(Quota("widgets=1")));
    }

    [Fact]
    public void A_negative_amount_is_invalid()
    {
        var error = Assert.Single(Errors(Quota("requests.cpu=-1")));

        Assert.StartsWith("spec.hard[requests.cpu]: Invalid value: ", error, StringComparison.Ordinal);
        Assert.EndsWith(": must be greater than or equal to 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_amount_is_shown_as_it_was_written()
    {
        Assert.Equal(["spec.hard[requests.cpu]: Invalid value: \"-1\": must be greater than or equal to 0"], Errors(Quota("requests.cpu=-1")));
    }

    [Fact]
    public void A_count_must_be_whole()
    {
        // kube prints the quantity's Go struct as the value; only the field and the message are held to its words here.
        var error = Assert.Single(Errors(Quota("pods=1.5")));
        Assert.StartsWith("spec.hard[pods]: Invalid value: ", error, StringComparison.Ordinal);
        Assert.EndsWith(": must be an integer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_count_or_an_extended_resource_must_be_whole_and_a_compute_resource_need_not()
    {
        Assert.Single(Errors(Quota("count/configmaps=500m")), e => e.EndsWith(": must be an integer", StringComparison.Ordinal));
        Assert.Single(Errors(Quota("requests.example.com/gpu=500m")), e => e.EndsWith(": must be an integer", StringComparison.Ordinal));
        Assert.Empty(Errors(Quota("cpu=500m")));
    }

    [Fact]
    public void The_status_is_held_to_the_same_checks()
    {
        var quota = Quota("pods=1");
        quota.Status = new V1ResourceQuotaStatus { Hard = List("pods=1"), Used = List("pods=-1") };

        var error = Assert.Single(Errors(quota));
        Assert.StartsWith("status.used[pods]: Invalid value: ", error, StringComparison.Ordinal);
        Assert.EndsWith(": must be greater than or equal to 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_scopes_on_resources_they_can_hold_are_valid()
    {
        Assert.Empty(Errors(Quota("pods=5,requests.cpu=1,limits.memory=1Gi", QuotaScopes.NotTerminating, QuotaScopes.NotBestEffort)));
        Assert.Empty(Errors(Quota("pods=5", QuotaScopes.BestEffort)));
    }

    [Fact]
    public void BestEffort_holds_only_pods()
    {
        Assert.Equal(
            ["spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: unsupported scope applied to resource"],
            Errors(Quota("pods=5,cpu=1", QuotaScopes.BestEffort)));
    }

    [Fact]
    public void A_scope_holds_no_object_count_but_pods()
    {
        Assert.Equal(
            ["spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Terminating\"}: unsupported scope applied to resource"],
            Errors(Quota("services=1", QuotaScopes.Terminating)));
    }

    [Fact]
    public void An_unknown_scope_is_unsupported()
    {
        Assert.Equal(
            ["spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Sometimes\"}: unsupported scope"],
            Errors(Quota("pods=1", "Sometimes")));
    }

    [Theory]
    [InlineData("BestEffort", "NotBestEffort")]
    [InlineData("Terminating", "NotTerminating")]
    public void Opposite_scopes_conflict(string scope, string opposite)
    {
        Assert.Equal(
            [$"spec.scopes: Invalid value: []core.ResourceQuotaScope{{\"{scope}\", \"{opposite}\"}}: conflicting scopes"],
            Errors(Quota("pods=1", scope, opposite)));
    }

    [Fact]
    public void The_scopes_cannot_change()
    {
        Assert.Equal(
            ["spec.scopes: Invalid value: []core.ResourceQuotaScope{\"NotBestEffort\"}: field is immutable"],
            _rules.ValidateUpdate(Quota("pods=1", QuotaScopes.NotBestEffort), Quota("pods=1", QuotaScopes.BestEffort)).Select(e => e.ToString()));
    }

    [Fact]
    public void The_hard_limits_may_change_and_the_scopes_may_be_given_in_another_order()
    {
        Assert.Empty(_rules.ValidateUpdate(
            Quota("pods=2", QuotaScopes.NotBestEffort, QuotaScopes.NotTerminating),
            Quota("pods=1", QuotaScopes.NotTerminating, QuotaScopes.NotBestEffort)));
    }

    [Fact]
    public void A_status_write_is_not_held_to_the_scopes()
    {
        var quota = Quota("pods=1", QuotaScopes.NotBestEffort);
        quota.Status = new V1ResourceQuotaStatus { Hard = List("pods=1"), Used = List("pods=1") };

        Assert.Empty(_rules.ValidateStatusUpdate(quota, Quota("pods=1", QuotaScopes.BestEffort)));
    }

    [Fact]
    public void A_priority_class_selector_with_values_is_valid()
    {
        Assert.Empty(Errors(Selected("pods=1,requests.cpu=1", Requirement(QuotaScopes.PriorityClass, "In", "high"))));
        Assert.Empty(Errors(Selected("pods=1", Requirement(QuotaScopes.PriorityClass, "DoesNotExist"))));
    }

    [Fact]
    public void A_selector_on_a_scope_without_values_must_use_Exists()
    {
        Assert.Equal(
            [
                "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, " +
                "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
            ],
            Errors(Selected("pods=1", Requirement(QuotaScopes.Terminating, "In", "x"))));
    }

    [Fact]
    public void In_needs_values_and_Exists_takes_none()
    {
        Assert.Equal(
            ["spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"],
            Errors(Selected("pods=1", Requirement(QuotaScopes.PriorityClass, "In"))));
        Assert.Equal(
            ["spec.scopeSelector.matchExpressions.values: Invalid value: []string{\"high\"}: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"],
            Errors(Selected("pods=1", Requirement(QuotaScopes.PriorityClass, "Exists", "high"))));
    }

    [Fact]
    public void Opposite_scopes_in_a_selector_conflict()
    {
        Assert.Equal(
            ["spec.scopeSelector.matchExpressions: Invalid value: []core.ScopedResourceSelectorRequirement{...}: conflicting scopes"],
            Errors(Selected("pods=1", Requirement(QuotaScopes.BestEffort, "Exists"), Requirement(QuotaScopes.NotBestEffort, "Exists"))));
    }

    [Fact]
    public void A_selector_on_BestEffort_holds_only_pods()
    {
        Assert.Equal(
            ["spec.scopeSelector.matchExpressions.scopeName: Invalid value: \"BestEffort\": unsupported scope applied to resource"],
            Errors(Selected("pods=1,requests.memory=1Gi", Requirement(QuotaScopes.BestEffort, "Exists"))));
    }
}
