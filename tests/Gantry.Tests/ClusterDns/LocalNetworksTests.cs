using System.Net;
using Gantry.Server.ClusterDns;
using Xunit;

namespace Gantry.Tests.ClusterDns;

public sealed class LocalNetworksTests
{
    [Theory]
    [InlineData("192.168.1.77", 24, "192.168.1.0/24")]
    [InlineData("10.1.2.3", 20, "10.1.0.0/20")]
    [InlineData("10.1.2.3", 32, "10.1.2.3/32")]
    [InlineData("fe80::1:2:3:4", 64, "fe80::/64")]
    [InlineData("fd00:ab:cd::1", 44, "fd00:ab:c0::/44")]
    public void An_interface_address_lies_in_its_prefix_with_the_host_bits_cleared(string address, int prefixLength, string network) =>
        Assert.Equal(IPNetwork.Parse(network), LocalNetworks.NetworkOf(IPAddress.Parse(address), prefixLength));

    [Fact]
    public void The_hosts_local_networks_include_the_loopback_network() =>
        Assert.Contains(IPNetwork.Parse("127.0.0.0/8"), LocalNetworks.Read());
}
