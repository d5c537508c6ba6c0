using System.Net;
using Gantry.Server.Registry.Allocation;
using Xunit;

namespace Gantry.Tests.Registry.Allocation;

public sealed class ClusterIpAllocatorTests
{
    [Fact]
    public void Dynamic_addresses_come_from_the_range_above_the_static_subrange()
    {
        var allocator = new ClusterIpAllocator("10.96.0.0/12", new Random(1));

        for (var i = 0; i < 200; i++)
        {
            var ip = allocator.AllocateNext();
            Assert.True(allocator.Range.Contains(ip));
            // A /12 keeps its first 256 addresses (10.96.0.1 - 10.96.1.0) for requested ones.
            var bytes = ip.GetAddressBytes();
            var offset = ((bytes[1] - 96) << 16 | bytes[2] << 8 | bytes[3]) - 1;
            Assert.True(offset >= 256, $"{ip} is in the static subrange");
        }

        Assert.Equal(200, allocator.Allocated);
    }

    [Fact]
    public void The_first_address_is_the_kubernetes_service_one()
    {
        Assert.Equal(IPAddress.Parse("10.96.0.1"), new ClusterIpAllocator("10.96.0.0/12").First);
    }

    [Fact]
    public void A_requested_address_that_is_taken_is_refused()
    {
        var allocator = new ClusterIpAllocator("10.96.0.0/12");
        allocator.Allocate(IPAddress.Parse("10.96.0.10"));

        var failure = Assert.Throws<AllocationException>(() => allocator.Allocate(IPAddress.Parse("10.96.0.10")));

        Assert.Equal(AllocationFailureKind.Allocated, failure.Kind);
        Assert.Equal("provided IP is already allocated", failure.Message);
    }

    [Fact]
    public void A_requested_address_outside_the_range_is_refused()
    {
        var allocator = new ClusterIpAllocator("10.96.0.0/12");

        var failure = Assert.Throws<AllocationException>(() => allocator.Allocate(IPAddress.Parse("10.0.0.1")));

        Assert.Equal("the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12", failure.Message);
    }

    [Fact]
    public void Network_and_broadcast_addresses_are_never_handed_out()
    {
        var allocator = new ClusterIpAllocator("10.0.0.0/29", new Random(7));

        var handedOut = Enumerable.Range(0, 6).Select(_ => allocator.AllocateNext().ToString()).Order().ToList();

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"], handedOut);
        Assert.Equal(AllocationFailureKind.Full, Assert.Throws<AllocationException>(() => allocator.AllocateNext()).Kind);
        Assert.Equal(AllocationFailureKind.NotInRange, Assert.Throws<AllocationException>(() => allocator.Allocate(IPAddress.Parse("10.0.0.7"))).Kind);
    }

    [Fact]
    public void A_released_address_can_be_taken_again()
    {
        var allocator = new ClusterIpAllocator("10.96.0.0/12");
        var ip = IPAddress.Parse("10.96.0.42");
        allocator.Allocate(ip);

        allocator.Release(ip);

        Assert.False(allocator.Has(ip));
        allocator.Allocate(ip);
        Assert.True(allocator.Has(ip));
    }

    [Fact]
    public void Concurrent_allocations_never_share_an_address()
    {
        var allocator = new ClusterIpAllocator("10.96.0.0/24");

        var handedOut = new System.Collections.Concurrent.ConcurrentBag<IPAddress>();
        Parallel.For(0, 254, _ => handedOut.Add(allocator.AllocateNext()));

        Assert.Equal(254, handedOut.Distinct().Count());
    }
}
