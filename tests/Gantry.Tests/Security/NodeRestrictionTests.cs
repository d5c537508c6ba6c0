using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>A join token's Nodes carry its id, which it can neither leave out nor change.</summary>
public sealed class NodeRestrictionTests : IAsyncLifetime
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private static readonly ResourceType Leases = ResourceCatalog.Get("coordination.k8s.io", "leases");

    private static readonly WriteOptions AsNode = new() { User = RequestUser.BootstrapToken("abcdef") };

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_node_a_join_token_creates_is_stamped_with_the_tokens_id_whatever_it_said()
    {
        var created = await _context.CreateAsync(Nodes, Node("n1", stamp: "zzzzzz"), AsNode);

        Assert.Equal("abcdef", NodeRestriction.StampOf(created));
    }

    [Fact]
    public async Task A_node_the_admin_creates_keeps_what_it_said()
    {
        var created = await _context.CreateAsync(Nodes, Node("n1", stamp: null), new WriteOptions { User = RequestUser.Admin });

        Assert.Null(NodeRestriction.StampOf(created));
    }

    [Fact]
    public async Task A_join_token_may_not_change_or_remove_its_stamp()
    {
        await _context.CreateAsync(Nodes, Node("n1", stamp: null), AsNode);

        var changed = await Assert.ThrowsAsync<ApiException>(() => _context.MutateAsync(Nodes, "n1", node => Stamped(node, "zzzzzz"), AsNode));
        var removed = await Assert.ThrowsAsync<ApiException>(() => _context.MutateAsync(Nodes, "n1", node => Stamped(node, null), AsNode));

        Assert.Equal(403, changed.Code);
        Assert.Equal(403, removed.Code);
        Assert.Equal("abcdef", NodeRestriction.StampOf(_context.Get(Nodes, "n1")));
    }

    [Fact]
    public async Task A_join_token_may_update_its_own_node()
    {
        await _context.CreateAsync(Nodes, Node("n1", stamp: null), AsNode);

        var updated = await _context.MutateAsync(Nodes, "n1", node =>
        {
            node["metadata"]!["labels"] = new JsonObject { ["zone"] = "a" };
            return node;
        }, AsNode);

        Assert.Equal("a", (string?)updated["metadata"]!["labels"]!["zone"]);
    }

    [Fact]
    public async Task A_node_a_join_token_creates_gets_no_pod_cidr_of_its_choosing()
    {
        var node = Node("n1", stamp: null);
        node["spec"] = new JsonObject { ["podCIDR"] = "10.244.7.0/24", ["podCIDRs"] = new JsonArray("10.244.7.0/24") };

        var created = await _context.CreateAsync(Nodes, node, AsNode);

        Assert.Null(created["spec"]?["podCIDR"]);
        Assert.Null(created["spec"]?["podCIDRs"]);
    }

    [Fact]
    public async Task A_join_token_may_not_give_its_node_a_pod_cidr()
    {
        await _context.CreateAsync(Nodes, Node("n1", stamp: null), AsNode);

        var refused = await Assert.ThrowsAsync<ApiException>(() => _context.MutateAsync(Nodes, "n1", node =>
        {
            node["spec"] = new JsonObject { ["podCIDR"] = "10.244.7.0/24", ["podCIDRs"] = new JsonArray("10.244.7.0/24") };
            return node;
        }, AsNode));

        Assert.Equal(403, refused.Code);
    }

    [Fact]
    public async Task A_join_token_may_write_the_lease_of_its_own_node_only()
    {
        await _context.CreateAsync(Nodes, Node("mine", stamp: null), AsNode);
        await _context.CreateAsync(Nodes, Node("theirs", stamp: null), new WriteOptions { User = RequestUser.BootstrapToken("zzzzzz") });

        await _context.CreateAsync(Leases, Lease("mine"), AsNode);
        var refused = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(Leases, Lease("theirs"), AsNode));
        var unregistered = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(Leases, Lease("not-registered"), AsNode));

        Assert.Equal(403, refused.Code);
        Assert.Equal(403, unregistered.Code);
    }

    private static JsonObject Lease(string node) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = node },
        ["spec"] = new JsonObject { ["holderIdentity"] = node, ["leaseDurationSeconds"] = 40 },
    };

    private static JsonObject Node(string name, string? stamp) => Stamped(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, stamp);

    private static JsonObject Stamped(JsonObject node, string? stamp)
    {
        var metadata = node["metadata"]!.AsObject();
        var annotations = metadata["annotations"] as JsonObject ?? [];
        if (stamp is null)
        {
            annotations.Remove(AgentClientIdentity.TokenIdAnnotation);
        }
        else
        {
            annotations[AgentClientIdentity.TokenIdAnnotation] = stamp;
        }

        metadata["annotations"] = annotations;
        return node;
    }

    [Fact]
    public async Task A_join_token_may_not_change_a_pods_labels_through_its_status()
    {
        var pods = ResourceCatalog.Get("", "pods");
        await _context.CreateAsync(pods, RegistryTestContext.Pod("web", nodeName: "n1"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.Registry.MutateAsync(
            pods,
            "default",
            "web",
            pod =>
            {
                pod["metadata"]!["labels"] = new JsonObject { ["tier"] = "front" };
                return pod;
            },
            null,
            "status",
            AsNode,
            _context.Ct));

        Assert.Equal(403, error.Code);
        Assert.Equal("pods \"web\" is forbidden: User \"system:bootstrap:abcdef\" may not change a pod's labels through its status", error.Message);
        Assert.Null(_context.Get(pods, "web")!["metadata"]!["labels"]);
    }
}
