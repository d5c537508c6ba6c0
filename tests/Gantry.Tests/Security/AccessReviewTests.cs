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
        _review = new AccessReview(new RequestAuthorizer(new NodeRole(_context.Cache)));
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
        Assert.Equal(allowed, AccessReview.AllowsPath(Node, verb, path));

    [Fact]
    public void The_admin_may_use_any_path() => Assert.True(AccessReview.AllowsPath(RequestUser.Admin, "post", "/debug/pprof"));

    [Fact]
    public void The_admins_rules_are_everything_and_complete()
    {
        var rules = AccessReview.Rules(RequestUser.Admin, "default");

        Assert.Equal("""{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""", rules["resourceRules"]![0]!.ToJsonString());
        Assert.Equal("""{"verbs":["*"],"nonResourceURLs":["*"]}""", rules["nonResourceRules"]![0]!.ToJsonString());
        Assert.False(rules["incomplete"]!.GetValue<bool>());
    }

    [Fact]
    public void A_nodes_rules_are_incomplete_since_what_it_may_write_depends_on_the_object()
    {
        var rules = AccessReview.Rules(Node, "kube-node-lease");

        Assert.True(rules["incomplete"]!.GetValue<bool>());
        Assert.Contains(rules["resourceRules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "leases");
        Assert.DoesNotContain(AccessReview.Rules(Node, "default")["resourceRules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "leases");
    }
}
