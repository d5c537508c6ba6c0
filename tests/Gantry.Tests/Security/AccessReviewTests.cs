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
        Assert.True(_review.Decide(RequestUser.Admin, Request("*", "*", "*", null)).IsAllowed);
        Assert.True(_review.Decide(RequestUser.Admin, Request("delete", "apps", "deployments")).IsAllowed);
    }

    [Fact]
    public void A_node_is_told_what_the_node_role_allows_it_and_no_more()
    {
        Assert.True(_review.Decide(Node, Request("list", "", "pods", null)).IsAllowed);
        Assert.False(_review.Decide(Node, Request("create", "apps", "deployments")).IsAllowed);
    }

    [Fact]
    public void Every_authenticated_user_may_review_itself()
    {
        Assert.True(_review.Decide(Node, Request("create", "authorization.k8s.io", "selfsubjectaccessreviews", null)).IsAllowed);
        Assert.True(_review.Decide(Node, Request("create", "authentication.k8s.io", "selfsubjectreviews", null)).IsAllowed);
    }

    [Theory]
    [InlineData("get", "/api", true)]
    [InlineData("get", "/apis/apps/v1", true)]
    [InlineData("get", "/version", true)]
    [InlineData("get", "/debug/pprof", false)]
    [InlineData("post", "/api", false)]
    public void A_node_may_read_discovery_health_and_version_paths(string verb, string path, bool allowed) =>
        Assert.Equal(allowed, _review.DecidePath(Node, verb, path).IsAllowed);

    [Fact]
    public void The_admin_may_use_any_path() => Assert.True(_review.DecidePath(RequestUser.Admin, "post", "/debug/pprof").IsAllowed);

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

        Assert.True(_review.Decide(jane, Request("list", "", "pods")).IsAllowed);
        Assert.False(_review.Decide(jane, Request("list", "", "pods", "kube-system")).IsAllowed);
        Assert.Contains(_review.Rules(jane, "default")["resourceRules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(v => v!.GetValue<string>() == "pods"));
    }

    [Fact]
    public async Task An_allowed_user_is_told_which_binding_allows_it_in_rbacs_words()
    {
        await BindViewAsync("jane");

        var decision = _review.Decide(new RequestUser("jane", [RequestUser.Authenticated]), Request("list", "", "pods"));

        Assert.Equal(AccessDecision.Allowed("RBAC: allowed by RoleBinding \"jane-view/default\" of ClusterRole \"view\" to User \"jane\""), decision);
    }

    [Fact]
    public async Task A_refused_user_is_told_of_its_bindings_whose_role_is_missing()
    {
        await BindAsync("jane", "gone");

        var decision = _review.Decide(new RequestUser("jane", [RequestUser.Authenticated]), Request("list", "", "pods"));

        Assert.Equal(AccessDecision.NoOpinion("RBAC: clusterroles.rbac.authorization.k8s.io \"gone\" not found"), decision);
    }

    [Fact]
    public void The_admin_is_allowed_with_no_reason_as_kubes_privileged_group_authorizer_gives_none() =>
        Assert.Equal(AccessDecision.Allowed(""), _review.Decide(RequestUser.Admin, Request("delete", "apps", "deployments")));

    [Fact]
    public void Every_authenticated_user_is_told_it_may_read_discovery_by_the_default_bindings() =>
        Assert.Contains(_review.Rules(new RequestUser("jane", [RequestUser.Authenticated]), null)["nonResourceRules"]!.AsArray(),
            r => r!["nonResourceURLs"]!.AsArray().Any(v => v!.GetValue<string>() == "/apis/*"));

    private Task<JsonObject> BindViewAsync(string user) => BindAsync(user, "view");

    private Task<JsonObject> BindAsync(string user, string clusterRole) => _context.CreateAsync(ResourceCatalog.Get("rbac.authorization.k8s.io", "rolebindings"), new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = user + "-" + clusterRole },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = user }),
    });
}
