using Gantry.Server.Kernel;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Kernel;

/// <summary>A framework whose tasks need cpus or mem (a Mesos framework) is offered nothing where only pod slots are free.</summary>
public sealed class AllocatorScalarFrameworkTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ResourceLedger _ledger = new();
    private readonly Allocator _allocator;

    public AllocatorScalarFrameworkTests()
    {
        _allocator = new Allocator(_ledger, _time);
        _ledger.SetNode("n1", Resources.Of(1, 512));
        _ledger.Record(new Allocation("all-of-it", "n1", "pods", Resources.Pod(1, 512)));
    }

    [Fact]
    public void A_node_with_only_pod_slots_free_is_not_offered_to_a_framework_that_runs_on_scalars()
    {
        _allocator.Register(new FrameworkInfo("spark", "spark", "*", RunsOnScalars: true), new RecordingReceiver());

        Assert.Empty(_allocator.Allocate());
    }

    [Fact]
    public void A_node_with_only_pod_slots_free_is_offered_to_the_pod_scheduler()
    {
        _allocator.Register(new FrameworkInfo("pods", "pods", "kubernetes"), new RecordingReceiver());

        var offer = Assert.Single(_allocator.Allocate());
        Assert.Equal((0L, 0L), (offer.Resources.CpuMillis, offer.Resources.MemoryBytes));
    }
}
