using System.Net;
using Gantry.Server.Security;
using Xunit;
using FakeTimeProvider = Gantry.Tests.Registry.FakeTimeProvider;

namespace Gantry.Tests.Security;

public sealed class NodeClientAddressesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_address_an_agent_connected_from_counts_and_another_does_not()
    {
        var addresses = new NodeClientAddresses(_time);

        addresses.Saw(IPAddress.Parse("172.30.5.9"));

        Assert.True(addresses.Contains(IPAddress.Parse("172.30.5.9")));
        Assert.False(addresses.Contains(IPAddress.Parse("172.30.5.10")));
    }

    [Fact]
    public void An_address_stops_counting_a_lifetime_after_its_last_request()
    {
        var addresses = new NodeClientAddresses(_time);
        addresses.Saw(IPAddress.Parse("172.30.5.9"));

        _time.Advance(NodeClientAddresses.Lifetime);
        Assert.True(addresses.Contains(IPAddress.Parse("172.30.5.9")));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(addresses.Contains(IPAddress.Parse("172.30.5.9")));
    }

    [Fact]
    public void An_IPv4_mapped_connection_counts_as_its_IPv4_address()
    {
        var addresses = new NodeClientAddresses(_time);

        addresses.Saw(IPAddress.Parse("::ffff:172.30.5.9"));

        Assert.True(addresses.Contains(IPAddress.Parse("172.30.5.9")));
    }
}
