using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.NetworkTests;

/// <summary>
/// Two namespaces play two nodes on one link (10.198.255.0/30). Node B holds an address of its pod CIDR
/// (10.198.1.0/24) on lo; node A reaches it only through the route NodeRoutes installs.
/// </summary>
public sealed class NodeRouteTests : IAsyncLifetime
{
    private static readonly IPNetwork PodCidrOfB = new(IPAddress.Parse("10.198.1.0"), 24);
    private static readonly IPAddress NodeA = IPAddress.Parse("10.198.255.1");
    private static readonly IPAddress NodeB = IPAddress.Parse("10.198.255.2");

    private readonly string _a = $"gantryt-node-a-{Environment.ProcessId}";
    private readonly string _b = $"gantryt-node-b-{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        await Host.CheckAsync("ip", "netns", "add", _a);
        await Host.CheckAsync("ip", "netns", "add", _b);
        await Host.CheckAsync("ip", "-n", _a, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", _b);
        foreach (var (node, address) in new[] { (_a, NodeA), (_b, NodeB) })
        {
            await Host.CheckAsync("ip", "-n", node, "address", "add", $"{address}/30", "dev", "eth0");
            await Host.CheckAsync("ip", "-n", node, "link", "set", "eth0", "up");
            await Host.CheckAsync("ip", "-n", node, "link", "set", "lo", "up");
        }

        await Host.CheckAsync("ip", "-n", _b, "address", "add", "10.198.1.1/24", "dev", "lo");
    }

    public async Task DisposeAsync()
    {
        await Host.RunAsync("ip", "netns", "delete", _a);
        await Host.RunAsync("ip", "netns", "delete", _b);
    }

    [Fact]
    public async Task A_route_to_another_nodes_pod_cidr_carries_traffic_there_until_removed()
    {
        var routes = new NodeRoutes(TimeSpan.FromSeconds(5), hostNamespace: _a);
        Assert.NotEqual(0, (await Ping()).ExitCode);

        await routes.AddAsync(PodCidrOfB, NodeB, CancellationToken.None);
        await routes.AddAsync(PodCidrOfB, NodeB, CancellationToken.None);

        Assert.Equal(0, (await Ping()).ExitCode);
        Assert.Contains("10.198.1.0/24 via 10.198.255.2", await Host.CheckAsync("ip", "-n", _a, "route"), StringComparison.Ordinal);

        await routes.RemoveAsync(PodCidrOfB, NodeB, CancellationToken.None);
        await routes.RemoveAsync(PodCidrOfB, NodeB, CancellationToken.None);

        Assert.DoesNotContain("10.198.1.0/24", await Host.CheckAsync("ip", "-n", _a, "route"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_routes_inside_the_cluster_cidr_are_listed_as_the_route_sync_reads_them()
    {
        var routes = new NodeRoutes(TimeSpan.FromSeconds(5), hostNamespace: _a);
        await routes.AddAsync(PodCidrOfB, NodeB, CancellationToken.None);

        var installed = NodeRoutePlan.Installed(await routes.ListAsync(IPNetwork.Parse("10.198.0.0/16"), CancellationToken.None));

        Assert.Equal(NodeB, Assert.Single(installed, r => r.Key == PodCidrOfB).Value);
        Assert.DoesNotContain(installed, r => r.Key == IPNetwork.Parse("10.198.255.0/30"));
    }

    [Fact]
    public async Task A_route_via_an_address_off_every_link_is_refused_with_the_kernels_reason()
    {
        var routes = new NodeRoutes(TimeSpan.FromSeconds(5), hostNamespace: _a);

        var refused = await Assert.ThrowsAsync<NetworkCommandException>(
            () => routes.AddAsync(PodCidrOfB, IPAddress.Parse("10.198.254.9"), CancellationToken.None));

        Assert.StartsWith($"`ip -n {_a} route replace 10.198.1.0/24 via 10.198.254.9` failed", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(refused.Stderr);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Ping() =>
        Host.RunAsync("ip", "netns", "exec", _a, "busybox", "ping", "-c", "1", "-W", "1", "10.198.1.1");
}
