using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>Whether rules a user holds cover rules it grants, as kube's <c>Covers</c> decides.</summary>
public sealed class RbacRuleCoverageTests
{
    private static bool Covers(PolicyRule[] owner, params PolicyRule[] servant) => RbacRuleCoverage.Uncovered(owner, servant).Count == 0;

    private static PolicyRule Rule(string[] verbs, string group, params string[] resources) => new(verbs, [group], resources);

    [Fact]
    public void A_rule_covers_itself() =>
        Assert.True(Covers([Rule(["get", "list"], "", "pods")], Rule(["get", "list"], "", "pods")));

    [Fact]
    public void A_rule_does_not_cover_a_verb_it_lacks() =>
        Assert.False(Covers([Rule(["get"], "", "pods")], Rule(["get", "delete"], "", "pods")));

    [Fact]
    public void Star_verbs_cover_every_verb() =>
        Assert.True(Covers([Rule(["*"], "", "pods")], Rule(["escalate", "bind", "delete"], "", "pods")));

    [Fact]
    public void Star_groups_cover_every_group() =>
        Assert.True(Covers([Rule(["get"], "*", "deployments")], new PolicyRule(["get"], ["apps", "extensions"], ["deployments"])));

    [Fact]
    public void Star_resources_cover_every_resource_and_subresource() =>
        Assert.True(Covers([Rule(["get"], "", "*")], Rule(["get"], "", "pods", "pods/log", "secrets")));

    [Fact]
    public void A_star_in_the_servant_is_covered_only_by_a_star() =>
        Assert.False(Covers([Rule(["get", "list", "watch", "create", "update", "patch", "delete"], "", "pods")], Rule(["*"], "", "pods")));

    [Fact]
    public void Star_slash_status_covers_the_status_of_every_resource_and_nothing_else()
    {
        PolicyRule[] owner = [Rule(["update"], "*", "*/status")];

        Assert.True(Covers(owner, Rule(["update"], "apps", "deployments/status", "statefulsets/status")));
        Assert.False(Covers(owner, Rule(["update"], "apps", "deployments/scale")));
        Assert.False(Covers(owner, Rule(["update"], "apps", "deployments")));
    }

    [Fact]
    public void A_resource_does_not_cover_its_subresources() =>
        Assert.False(Covers([Rule(["get"], "", "pods")], Rule(["get"], "", "pods/log")));

    [Fact]
    public void A_rule_without_names_covers_any_named_objects() =>
        Assert.True(Covers([Rule(["get"], "", "configmaps")], Rule(["get"], "", "configmaps") with { Names = ["a", "b"] }));

    [Fact]
    public void A_rule_with_names_covers_only_those_objects()
    {
        PolicyRule[] owner = [Rule(["get"], "", "configmaps") with { Names = ["a", "b"] }];

        Assert.True(Covers(owner, Rule(["get"], "", "configmaps") with { Names = ["b"] }));
        Assert.False(Covers(owner, Rule(["get"], "", "configmaps") with { Names = ["b", "c"] }));
    }

    [Fact]
    public void A_rule_with_names_does_not_cover_every_object() =>
        Assert.False(Covers([Rule(["get"], "", "configmaps") with { Names = ["a"] }], Rule(["get"], "", "configmaps")));

    [Fact]
    public void A_url_covers_itself_and_a_trailing_star_covers_every_path_it_starts()
    {
        PolicyRule[] owner = [PolicyRule.ForUrls(["get"], "/healthz", "/apis/*")];

        Assert.True(Covers(owner, PolicyRule.ForUrls(["get"], "/healthz", "/apis/apps/v1")));
        Assert.False(Covers(owner, PolicyRule.ForUrls(["get"], "/healthz/ready")));
        Assert.False(Covers(owner, PolicyRule.ForUrls(["post"], "/healthz")));
        Assert.True(Covers([PolicyRule.ForUrls(["*"], "*")], PolicyRule.ForUrls(["get", "post"], "/metrics", "/debug/pprof")));
    }

    [Fact]
    public void Resource_rules_do_not_cover_urls_nor_urls_resources()
    {
        Assert.False(Covers([Rule(["*"], "*", "*")], PolicyRule.ForUrls(["get"], "/metrics")));
        Assert.False(Covers([PolicyRule.ForUrls(["*"], "*")], Rule(["get"], "", "pods")));
    }

    [Fact]
    public void A_rule_split_across_two_owner_rules_is_covered() =>
        Assert.True(Covers(
            [Rule(["get"], "", "pods", "services"), Rule(["list"], "", "pods", "services")],
            Rule(["get", "list"], "", "pods", "services")));

    [Fact]
    public void What_is_missing_is_broken_down_to_one_group_resource_name_and_verb_each()
    {
        var missing = RbacRuleCoverage.Uncovered(
            [Rule(["get"], "", "pods")],
            [Rule(["get", "delete"], "", "pods", "secrets") with { Names = ["x"] }, PolicyRule.ForUrls(["get"], "/metrics")]);

        Assert.Equal(
            ["{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"x\"], Verbs:[\"delete\"]}",
             "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"x\"], Verbs:[\"get\"]}",
             "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"x\"], Verbs:[\"delete\"]}",
             "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"],
            missing.Select(RbacRuleText.Compact));
    }
}
