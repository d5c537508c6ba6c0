using Gantry.Server.Registry.Allocation;
using Xunit;

namespace Gantry.Tests.Registry.Allocation;

public sealed class NodePortAllocatorTests
{
    [Fact]
    public void Dynamic_ports_come_from_the_range_above_its_static_subrange()
    {
        var allocator = new NodePortAllocator(random: new Random(3));

        var ports = Enumerable.Range(0, 500).Select(_ => allocator.AllocateNext()).ToList();

        // 2768 ports: the first 86 (30000-30085) are kept for requested ones until the rest is full.
        Assert.All(ports, p => Assert.InRange(p, 30086, 32767));
        Assert.Equal(500, ports.Distinct().Count());
    }

    [Fact]
    public void A_requested_port_that_is_taken_is_refused()
    {
        var allocator = new NodePortAllocator();
        allocator.Allocate(30080);

        Assert.Equal("provided port is already allocated", Assert.Throws<AllocationException>(() => allocator.Allocate(30080)).Message);
    }

    [Fact]
    public void A_requested_port_outside_the_range_is_refused()
    {
        var allocator = new NodePortAllocator();

        Assert.Equal("provided port is not in the valid range. The range of valid ports is 30000-32767",
            Assert.Throws<AllocationException>(() => allocator.Allocate(8080)).Message);
    }

    [Fact]
    public void A_full_range_falls_back_to_the_static_subrange_then_reports_full()
    {
        var allocator = new NodePortAllocator(30000, 30099, new Random(5));

        var ports = Enumerable.Range(0, 100).Select(_ => allocator.AllocateNext()).Order().ToList();

        Assert.Equal(Enumerable.Range(30000, 100), ports);
        Assert.Equal("range is full", Assert.Throws<AllocationException>(() => allocator.AllocateNext()).Message);
        allocator.Release(30042);
        Assert.Equal(30042, allocator.AllocateNext());
    }
}
