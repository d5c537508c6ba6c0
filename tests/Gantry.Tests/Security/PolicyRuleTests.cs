using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>A rule matches a request as kube's rbac <c>RuleAllows</c> matches it.</summary>
public sealed class PolicyRuleTests
{
    private static RequestAttributes Request(string verb, string group, string resource, string? subresource = null, string? name = null) =>
        new(verb, group, resource, subresource, "x", name);

    [Fact]
    public void A_rule_allows_its_verbs_on_its_resources() =>
        Assert.True(new PolicyRule(["get", "list"], [""], ["pods"]).Allows(Request("list", "", "pods")));

    [Fact]
    public void A_rule_allows_no_other_verb() =>
        Assert.False(new PolicyRule(["get", "list"], [""], ["pods"]).Allows(Request("delete", "", "pods")));

    [Fact]
    public void A_rule_allows_no_other_api_group() =>
        Assert.False(new PolicyRule(["get"], [""], ["deployments"]).Allows(Request("get", "apps", "deployments")));

    [Fact]
    public void A_star_stands_for_every_verb_group_and_resource() =>
        Assert.True(new PolicyRule(["*"], ["*"], ["*"]).Allows(Request("deletecollection", "apps", "deployments", "scale")));

    [Fact]
    public void A_resource_does_not_match_its_subresources() =>
        Assert.False(new PolicyRule(["get"], [""], ["pods"]).Allows(Request("get", "", "pods", "log", "web")));

    [Fact]
    public void A_subresource_is_named_resource_slash_subresource() =>
        Assert.True(new PolicyRule(["get"], [""], ["pods/log"]).Allows(Request("get", "", "pods", "log", "web")));

    [Fact]
    public void Star_slash_subresource_matches_that_subresource_of_every_resource()
    {
        var rule = new PolicyRule(["update"], ["*"], ["*/status"]);

        Assert.True(rule.Allows(Request("update", "apps", "deployments", "status", "web")));
        Assert.False(rule.Allows(Request("update", "apps", "deployments", "scale", "web")));
        Assert.False(rule.Allows(Request("update", "apps", "deployments", null, "web")));
    }

    [Fact]
    public void Resource_names_limit_a_rule_to_those_objects()
    {
        var rule = new PolicyRule(["get"], [""], ["configmaps"]) { Names = ["settings"] };

        Assert.True(rule.Allows(Request("get", "", "configmaps", name: "settings")));
        Assert.False(rule.Allows(Request("get", "", "configmaps", name: "other")));
    }

    [Fact]
    public void Resource_names_never_allow_a_list() =>
        Assert.False(new PolicyRule(["list"], [""], ["configmaps"]) { Names = ["settings"] }.Allows(Request("list", "", "configmaps")));

    [Theory]
    [InlineData("/healthz", "/healthz", true)]
    [InlineData("/healthz", "/healthz/etcd", false)]
    [InlineData("/apis/*", "/apis/apps/v1", true)]
    [InlineData("/apis/*", "/api", false)]
    [InlineData("*", "/anything", true)]
    public void A_non_resource_url_matches_exactly_or_by_a_trailing_star(string url, string path, bool allowed) =>
        Assert.Equal(allowed, PolicyRule.ForUrls(["get"], url).AllowsPath("get", path));

    [Fact]
    public void A_non_resource_rule_allows_only_its_verbs() =>
        Assert.False(PolicyRule.ForUrls(["get"], "/metrics").AllowsPath("post", "/metrics"));
}
