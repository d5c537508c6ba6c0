using System.Net;
using Gantry.Server.ClusterDns;
using Xunit;
using FakeTimeProvider = Gantry.Tests.Registry.FakeTimeProvider;

namespace Gantry.Tests.ClusterDns;

/// <summary>Who gets names outside the cluster zone forwarded: loopback, the cluster CIDR and the host's local networks.</summary>
public sealed class RecursionClientsTests
{
    private static readonly IPNetwork ClusterCidr = IPNetwork.Parse("10.244.0.0/16");

    /// <summary>A node on a network of its own, behind a router.</summary>
    private static readonly IPAddress NodeAddress = IPAddress.Parse("172.30.5.9");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<IPNetwork> _localNetworks = [IPNetwork.Parse("192.168.1.0/24"), IPNetwork.Parse("fd00:1::/64")];
    private int _reads;

    private RecursionClients Clients() => new(ClusterCidr, () =>
    {
        _reads++;
        return [.. _localNetworks];
    }, NodeAddress.Equals, _time);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.3.2.1")]
    [InlineData("::1")]
    public void A_loopback_client_gets_recursion(string client) =>
        Assert.True(Clients().Allows(IPAddress.Parse(client)));

    [Fact]
    public void A_client_in_the_cluster_cidr_gets_recursion() =>
        Assert.True(Clients().Allows(IPAddress.Parse("10.244.7.3")));

    [Fact]
    public void A_node_on_another_network_gets_recursion() =>
        Assert.True(Clients().Allows(NodeAddress));

    [Theory]
    [InlineData("192.168.1.50")]
    [InlineData("fd00:1::42")]
    public void A_client_on_a_local_network_gets_recursion(string client) =>
        Assert.True(Clients().Allows(IPAddress.Parse(client)));

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("10.245.0.1")]
    [InlineData("192.168.2.1")]
    [InlineData("2001:db8::1")]
    public void A_client_outside_every_allowed_network_gets_no_recursion(string client) =>
        Assert.False(Clients().Allows(IPAddress.Parse(client)));

    [Theory]
    [InlineData("::ffff:10.244.7.3", true)]
    [InlineData("::ffff:192.168.1.50", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:203.0.113.9", false)]
    public void An_IPv4_mapped_client_is_judged_by_its_IPv4_address(string client, bool allowed) =>
        Assert.Equal(allowed, Clients().Allows(IPAddress.Parse(client)));

    [Fact]
    public void The_local_networks_are_read_once_per_cache_period()
    {
        var clients = Clients();

        clients.Allows(IPAddress.Parse("192.168.1.50"));
        _time.Advance(RecursionClients.LocalNetworksLifetime - TimeSpan.FromMilliseconds(1));
        clients.Allows(IPAddress.Parse("192.168.1.51"));

        Assert.Equal(1, _reads);
    }

    [Fact]
    public void A_network_attached_after_the_cache_period_gets_recursion()
    {
        var clients = Clients();
        var bridgeClient = IPAddress.Parse("172.20.0.5");
        Assert.False(clients.Allows(bridgeClient));

        _localNetworks.Add(IPNetwork.Parse("172.20.0.0/16"));
        var beforeExpiry = clients.Allows(bridgeClient);
        _time.Advance(RecursionClients.LocalNetworksLifetime);

        Assert.False(beforeExpiry);
        Assert.True(clients.Allows(bridgeClient));
    }

    [Fact]
    public void Loopback_and_the_cluster_cidr_need_no_read_of_the_local_networks()
    {
        var clients = Clients();

        clients.Allows(IPAddress.Loopback);
        clients.Allows(IPAddress.Parse("10.244.0.9"));

        Assert.Equal(0, _reads);
    }
}
