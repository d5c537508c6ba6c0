using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class WebhookRuleValidationTests
{
    private static IEnumerable<string> ErrorsOf(V1RuleWithOperations rule)
    {
        var hook = ValidatingHook();
        hook.Rules = [rule];
        return Errors(hook);
    }

    private static V1RuleWithOperations Rule(string[]? operations = null, string[]? groups = null, string[]? versions = null, string[]? resources = null, string? scope = null) => new()
    {
        Operations = operations ?? ["CREATE"],
        ApiGroups = groups ?? [""],
        ApiVersions = versions ?? ["v1"],
        Resources = resources ?? ["pods"],
        Scope = scope,
    };

    [Fact]
    public void A_webhook_without_rules_is_valid()
    {
        var hook = ValidatingHook();
        hook.Rules = null;

        Assert.Empty(Errors(hook));
    }

    [Fact]
    public void Wildcards_alone_match_everything()
    {
        Assert.Empty(ErrorsOf(Rule(["*"], ["*"], ["*"], ["*/*"], "*")));
    }

    [Fact]
    public void A_rule_names_operations_groups_versions_and_resources()
    {
        Assert.Equal(
            [
                "webhooks[0].rules[0].operations: Required value",
                "webhooks[0].rules[0].apiGroups: Required value",
                "webhooks[0].rules[0].apiVersions: Required value",
                "webhooks[0].rules[0].resources: Required value",
            ],
            ErrorsOf(new V1RuleWithOperations()));
    }

    [Fact]
    public void Operations_are_create_update_delete_connect_or_all()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].operations[1]: Unsupported value: \"PATCH\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\""],
            ErrorsOf(Rule(operations: ["DELETE", "PATCH"])));
    }

    [Fact]
    public void The_all_operations_wildcard_stands_alone()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{\"*\", \"CREATE\"}: if '*' is present, must not specify other operations"],
            ErrorsOf(Rule(operations: ["*", "CREATE"])));
    }

    [Fact]
    public void The_all_groups_wildcard_stands_alone()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].apiGroups: Invalid value: []string{\"apps\", \"*\"}: if '*' is present, must not specify other API groups"],
            ErrorsOf(Rule(groups: ["apps", "*"])));
    }

    [Fact]
    public void The_all_versions_wildcard_stands_alone_and_versions_are_not_empty()
    {
        Assert.Equal(
            [
                "webhooks[0].rules[0].apiVersions: Invalid value: []string{\"*\", \"\"}: if '*' is present, must not specify other API versions",
                "webhooks[0].rules[0].apiVersions[1]: Required value",
            ],
            ErrorsOf(Rule(versions: ["*", ""])));
    }

    [Fact]
    public void The_core_group_is_named_by_the_empty_string()
    {
        Assert.Empty(ErrorsOf(Rule(groups: ["", "apps"])));
    }

    [Fact]
    public void A_resource_is_not_empty()
    {
        Assert.Equal(["webhooks[0].rules[0].resources[1]: Required value"], ErrorsOf(Rule(resources: ["pods", ""])));
    }

    [Fact]
    public void Subresources_are_named_after_a_slash()
    {
        Assert.Empty(ErrorsOf(Rule(resources: ["pods", "pods/status", "deployments/scale", "*/exec"])));
    }

    [Fact]
    public void Every_resource_and_subresource_stands_alone()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].resources: Invalid value: []string{\"*/*\", \"pods\"}: if '*/*' is present, must not specify other resources"],
            ErrorsOf(Rule(resources: ["*/*", "pods"])));
    }

    [Fact]
    public void Every_resource_excludes_other_resources_without_subresources()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].resources: Invalid value: []string{\"*\", \"pods\"}: if '*' is present, must not specify other resources without subresources"],
            ErrorsOf(Rule(resources: ["*", "pods"])));
    }

    [Fact]
    public void Every_resource_goes_with_subresources()
    {
        Assert.Empty(ErrorsOf(Rule(resources: ["*", "pods/status"])));
    }

    [Fact]
    public void Like_kube_only_the_last_resource_without_subresource_counts_against_every_resource()
    {
        Assert.Empty(ErrorsOf(Rule(resources: ["pods", "*"])));
    }

    [Fact]
    public void A_subresource_wildcard_covers_that_resources_subresources_named_after_it()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].resources[1]: Invalid value: \"pods/log\": if 'pods/*' is present, must not specify pods/log"],
            ErrorsOf(Rule(resources: ["pods/*", "pods/log"])));
    }

    [Fact]
    public void A_resource_wildcard_covers_that_subresource_of_resources_named_after_it()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].resources[1]: Invalid value: \"pods/status\": if '*/status' is present, must not specify pods/status"],
            ErrorsOf(Rule(resources: ["*/status", "pods/status"])));
    }

    [Fact]
    public void The_scope_is_cluster_namespaced_or_all()
    {
        Assert.Equal(
            ["webhooks[0].rules[0].scope: Unsupported value: \"Global\": supported values: \"*\", \"Cluster\", \"Namespaced\""],
            ErrorsOf(Rule(scope: "Global")));
    }
}
