using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>Which writes a webhook is sent, as kube's rule, namespace and object matchers decide it.</summary>
public sealed class WebhookMatchingTests : IAsyncLifetime
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType CoreEvents = ResourceCatalog.Get("", "events");

    private RegistryTestContext _context = null!;
    private WebhookMatching _matching = null!;

    public async Task InitializeAsync()
    {
        _context = await StartAsync();
        _matching = new WebhookMatching(_context.Cache);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("CREATE", true)]
    [InlineData("*", true)]
    [InlineData("UPDATE", false)]
    public void A_rule_matches_the_operations_it_names(string operation, bool matches) =>
        Assert.Equal(matches, _matching.Matches(Hook(Rule(operations: [operation])), Create(ConfigMaps, "default")));

    // As kube compares them, a "/*" rule matches the resource itself too, whose subresource is "".
    [Theory]
    [InlineData("pods", null, true)]
    [InlineData("pods", "status", false)]
    [InlineData("pods/status", "status", true)]
    [InlineData("pods/status", null, false)]
    [InlineData("pods/*", "status", true)]
    [InlineData("pods/*", null, true)]
    [InlineData("*/status", "status", true)]
    [InlineData("*", null, true)]
    [InlineData("*", "status", false)]
    [InlineData("*/*", "status", true)]
    [InlineData("*/*", null, true)]
    public void A_rule_matches_a_resource_and_subresource_as_named(string resource, string? subresource, bool matches) =>
        Assert.Equal(matches, _matching.Matches(Hook(Rule(resources: [resource])), Update(Pods, "default", subresource)));

    [Theory]
    [InlineData("", "v1", true)]
    [InlineData("*", "*", true)]
    [InlineData("apps", "v1", false)]
    [InlineData("", "v2", false)]
    public void A_rule_matches_the_group_and_version_it_names(string group, string version, bool matches) =>
        Assert.Equal(matches, _matching.Matches(Hook(Rule(groups: [group], versions: [version])), Create(ConfigMaps, "default")));

    [Fact]
    public void A_namespaced_scope_matches_namespaced_objects_only()
    {
        var hook = Hook(Rule(resources: ["*"], scope: "Namespaced"));

        Assert.True(_matching.Matches(hook, Create(ConfigMaps, "default")));
        Assert.False(_matching.Matches(hook, Create(Nodes, null)));
        Assert.False(_matching.Matches(hook, Create(Namespaces, "team", "team")));
    }

    [Fact]
    public void A_cluster_scope_matches_namespaces_and_other_cluster_scoped_objects()
    {
        var hook = Hook(Rule(resources: ["*"], scope: "Cluster"));

        Assert.False(_matching.Matches(hook, Create(ConfigMaps, "default")));
        Assert.True(_matching.Matches(hook, Create(Nodes, null)));
        Assert.True(_matching.Matches(hook, Create(Namespaces, "team", "team")));
    }

    [Fact]
    public void An_equivalent_match_policy_matches_a_request_to_another_version_by_its_stored_resource()
    {
        var rule = Rule(resources: ["events"]);
        var request = Create(CoreEvents, "default") with { RequestApiVersion = "events.k8s.io/v1" };

        Assert.True(_matching.Matches(Hook(rule), request));
        Assert.False(_matching.Matches(Hook(rule, hook => hook.MatchPolicy = "Exact"), request));
    }

    [Fact]
    public void An_equivalent_match_policy_matches_a_request_in_the_stored_version_by_another_served_version()
    {
        var rule = Rule(groups: ["events.k8s.io"], resources: ["events"]);

        Assert.Equal("events.k8s.io/v1", _matching.MatchedVersion(Hook(rule), Create(CoreEvents, "default"))?.ApiVersion);
        Assert.Null(_matching.MatchedVersion(Hook(rule, hook => hook.MatchPolicy = "Exact"), Create(CoreEvents, "default")));
    }

    [Fact]
    public async Task A_namespace_selector_matches_the_labels_of_the_objects_namespace()
    {
        await _context.CreateAsync(Namespaces, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "team", ["labels"] = new JsonObject { ["tier"] = "gold" } },
        });
        var hook = Hook(Rule(), hook => hook.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } });

        Assert.True(_matching.Matches(hook, Create(ConfigMaps, "team")));
        Assert.False(_matching.Matches(hook, Create(ConfigMaps, "default")));
    }

    [Fact]
    public void A_namespace_selector_always_matches_a_cluster_scoped_object_other_than_a_namespace()
    {
        var hook = Hook(Rule(resources: ["nodes"]), hook => hook.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } });

        Assert.True(_matching.Matches(hook, Create(Nodes, null)));
    }

    [Fact]
    public void A_namespace_written_is_matched_by_the_labels_it_is_written_with()
    {
        var hook = Hook(Rule(resources: ["namespaces"]), hook => hook.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } });

        Assert.True(_matching.Matches(hook, Create(Namespaces, "new", "new", ("tier", "gold"))));
        Assert.False(_matching.Matches(hook, Create(Namespaces, "new", "new")));
    }

    [Fact]
    public void An_object_selector_matches_the_new_or_the_old_objects_labels()
    {
        var hook = Hook(Rule(operations: ["*"]), hook => hook.ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["check"] = "yes" } });
        var labelled = Object(("check", "yes"));

        Assert.True(_matching.Matches(hook, Create(ConfigMaps, "default", labels: ("check", "yes"))));
        Assert.False(_matching.Matches(hook, Create(ConfigMaps, "default")));
        Assert.True(_matching.Matches(hook, Create(ConfigMaps, "default") with { Operation = "UPDATE", OldObject = labelled }));
        Assert.True(_matching.Matches(hook, Create(ConfigMaps, "default") with { Operation = "DELETE", Object = null, OldObject = labelled }));
    }

    private static Webhook Hook(V1RuleWithOperations rule, Action<V1ValidatingWebhook>? change = null)
    {
        var hook = new V1ValidatingWebhook
        {
            Name = "test.webhooks.gantry.io",
            ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = "https://127.0.0.1:1/" },
            Rules = [rule],
            SideEffects = "None",
            AdmissionReviewVersions = ["v1"],
        };
        change?.Invoke(hook);
        return Webhook.Of("test", hook);
    }

    private static V1RuleWithOperations Rule(
        string[]? operations = null, string[]? groups = null, string[]? versions = null, string[]? resources = null, string? scope = null) => new()
    {
        Operations = operations ?? ["CREATE", "UPDATE"],
        ApiGroups = groups ?? [""],
        ApiVersions = versions ?? ["v1"],
        Resources = resources ?? ["configmaps", "pods", "pods/status"],
        Scope = scope,
    };

    private static AdmissionAttributes Create(ResourceType type, string? ns, string name = "x", params (string Key, string Value)[] labels) =>
        AdmissionAttributes.ForCreate(type, ns, Object(labels, name), new WriteOptions());

    private static AdmissionAttributes Update(ResourceType type, string? ns, string? subresource) =>
        AdmissionAttributes.ForUpdate(type, ns, "x", subresource, Object([]), Object([]), new WriteOptions());

    private static JsonObject Object(params (string Key, string Value)[] labels) => Object(labels, "x");

    private static JsonObject Object((string Key, string Value)[] labels, string name) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        },
    };
}
