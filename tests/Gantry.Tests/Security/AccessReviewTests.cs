using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>What <c>kubectl auth can-i</c> is told: the decision a real request would get, and the rules behind it.</summary>
public sealed class AccessReviewTests : IAsyncLifetime
{
    private static readonly RequestUser Node = RequestUser.BootstrapToken("abcdef");

    private RegistryTestContext _context = null!;
    private AccessReview _review = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _review = new AccessReview(new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context)));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static RequestAttributes Request(string verb, string group, string resource, string? ns = "default") =>
        new(verb, group, resource, null, ns, null);

    [Fact]
    public void The_admin_may_do_anything()
    {
        Assert.True(_review.Allows(RequestUser.Admin, Request("*", "*", "*", null)));
        Assert.True(_review.Allows(RequestUser.Admin, Request("delete", "apps", "deployments")));
    }

    [Fact]
    public void A_node_is_told_what_the_node_role_allows_it_and_no_more()
    {
        Assert.True(_review.Allows(Node, Request("list", "", "pods", null)));
        Assert.False(_review.Allows(Node, Request("create", "apps", "deployments")));
    }

    [Fact]
    public void Every_authenticated_user_may_review_itself()
    {
        Assert.True(_review.Allows(Node, Request("create", "authorization.k8s.io", "selfsubjectaccessreviews", null)));
        Assert.True(_review.Allows(Node, Request("create", "authentication.k8s.io", "selfsubjectreviews", null)));
    }

    [Theory]
    [InlineData("get", "/api", true)]
    [InlineData("get", "/apis/apps/v1", true)]
    [InlineData("get", "/version", true)]
    [InlineData("get", "/debug/pprof", false)]
    [InlineData("post", "/api", false)]
    public void A_node_may_read_discovery_health_and_version_paths(string verb, string path, bool allowed) =>
        Assert.Equal(allowed, _review.AllowsPath(Node, verb, path));

    [Fact]
    public void The_admin_may_use_any_path() => Assert.True(_review.AllowsPath(RequestUser.Admin, "post", "/debug/pprof"));

    [Fact]
    public void The_admins_rules_are_everything_and_complete()
    {
        var rules = _review.Rules(RequestUser.Admin, "default");

        Assert.Equal("""{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""", rules["resourceRules"]![0]!.ToJsonString());
        Assert.Equal("""{"verbs":["*"],"nonResourceURLs":["*"]}""", rules["nonResourceRules"]![0]!.ToJsonString());
        Assert.False(rules["incomplete"]!.GetValue<bool>());
    }

    [Fact]
    public void A_nodes_rules_are_incomplete_since_what_it_may_write_depends_on_the_object()
    {
        var rules = _review.Rules(Node, "kube-node-lease");

        Assert.True(rules["incomplete"]!.GetValue<bool>());
        Assert.Contains(rules["resourceRules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "leases");
        Assert.DoesNotContain(_review.Rules(Node, "default")["resourceRules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "leases");
    }

    [Fact]
    public async Task A_user_is_told_what_the_roles_bound_to_it_allow()
    {
        var jane = new RequestUser("jane", [RequestUser.Authenticated]);
        await BindViewAsync("jane");

        Assert.True(_review.Allows(jane, Request("list", "", "pods")));
        Assert.False(_review.Allows(jane, Request("list", "", "pods", "kube-system")));
        Assert.Contains(_review.Rules(jane, "default")["resourceRules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(v => v!.GetValue<string>() == "pods"));
    }

    [Fact]
    public void Every_authenticated_user_is_told_it_may_read_discovery_by_the_default_bindings() =>
        Assert.Contains(_review.Rules(new RequestUser("jane", [RequestUser.Authenticated]), null)["nonResourceRules"]!.AsArray(),
            r => r!["nonResourceURLs"]!.AsArray().Any(v => v!.GetValue<string>() == "/apis/*"));

    private Task<JsonObject> BindViewAsync(string user) => _context.CreateAsync(ResourceCatalog.Get("rbac.authorization.k8s.io", "rolebindings"), new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = user + "-view" },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "view" },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = user }),
    });
}
