using Gantry.Server.Security;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>An aggregated ClusterRole holds the rules of the roles its selectors match, as kube's aggregation controller gives them.</summary>
public sealed class ClusterRoleAggregationTests
{
    private const string ToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static V1ClusterRole View => new()
    {
        Metadata = new V1ObjectMeta { Name = "view", Labels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-edit"] = "true" } },
        AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ToView] = "true" } }] },
        Rules = [],
    };

    private static V1ClusterRole Role(string name, string resource, bool labelled = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labelled ? new Dictionary<string, string> { [ToView] = "true" } : null },
        Rules = [new V1PolicyRule { Verbs = ["get"], ApiGroups = ["example.com"], Resources = [resource] }],
    };

    private static string[] Resources(IEnumerable<V1PolicyRule> rules) => [.. rules.Select(r => r.Resources[0])];

    [Fact]
    public void An_aggregated_role_holds_the_rules_of_the_roles_its_selector_matches() =>
        Assert.Equal(["widgets"], Resources(ClusterRoleAggregation.RulesFor(View, [View, Role("widget-viewer", "widgets"), Role("private", "secrets", labelled: false)])));

    [Fact]
    public void Matched_roles_contribute_in_the_order_of_their_names() =>
        Assert.Equal(["apples", "bananas"], Resources(ClusterRoleAggregation.RulesFor(View, [Role("b", "bananas"), Role("a", "apples")])));

    [Fact]
    public void A_rule_two_roles_share_is_held_once() =>
        Assert.Equal(["widgets"], Resources(ClusterRoleAggregation.RulesFor(View, [Role("a", "widgets"), Role("b", "widgets")])));

    [Fact]
    public void A_role_never_aggregates_itself()
    {
        var self = View;
        self.Metadata.Labels[ToView] = "true";
        self.Rules = [new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["stale"] }];

        Assert.Empty(ClusterRoleAggregation.RulesFor(self, [self]));
    }

    [Fact]
    public void Rules_in_another_order_are_not_the_same_rules() =>
        Assert.False(ClusterRoleAggregation.SameRules([Role("a", "x").Rules[0], Role("b", "y").Rules[0]], [Role("b", "y").Rules[0], Role("a", "x").Rules[0]]));
}
