using System.Net;
using Gantry.Server.Controllers;
using Xunit;

namespace Gantry.Tests.Controllers.Ipam;

public sealed class NodeCidrSetTests
{
    private static NodeCidrSet Set(string cluster = "10.244.0.0/16", int mask = 24) => new(IPNetwork.Parse(cluster), mask);

    [Fact]
    public void The_first_node_gets_the_first_subnet()
    {
        Assert.Equal(IPNetwork.Parse("10.244.0.0/24"), Set().AllocateNext());
    }

    [Fact]
    public void Occupied_subnets_are_skipped()
    {
        var set = Set();
        Assert.True(set.Occupy(IPNetwork.Parse("10.244.0.0/24")));
        Assert.True(set.Occupy(IPNetwork.Parse("10.244.2.0/24")));

        Assert.Equal(IPNetwork.Parse("10.244.1.0/24"), set.AllocateNext());
        Assert.Equal(IPNetwork.Parse("10.244.3.0/24"), set.AllocateNext());
    }

    [Fact]
    public void A_released_subnet_is_handed_out_again()
    {
        var set = Set();
        var first = set.AllocateNext()!.Value;
        set.AllocateNext();
        set.Release(first);

        Assert.Equal(first, set.AllocateNext());
    }

    [Fact]
    public void A_full_set_allocates_nothing()
    {
        var set = Set("10.244.0.0/23");
        Assert.Equal(2, set.Capacity);
        set.AllocateNext();
        set.AllocateNext();

        Assert.Null(set.AllocateNext());
    }

    [Theory]
    [InlineData("10.245.0.0/24")]
    [InlineData("10.244.0.0/25")]
    public void Subnets_of_another_range_or_size_are_not_occupied(string cidr)
    {
        var set = Set();
        Assert.False(set.Occupy(IPNetwork.Parse(cidr)));
        Assert.Equal(IPNetwork.Parse("10.244.0.0/24"), set.AllocateNext());
    }

    [Fact]
    public void A_node_mask_wider_than_the_cluster_cidr_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Set("10.244.0.0/24", 16));
    }
}
