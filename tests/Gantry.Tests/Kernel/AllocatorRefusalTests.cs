using Gantry.Server.Kernel;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Kernel;

/// <summary>What an accept that gives its remainder back keeps from its framework: the refusal the framework asked for.</summary>
public sealed class AllocatorRefusalTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ResourceLedger _ledger = new();
    private readonly Allocator _allocator;

    public AllocatorRefusalTests()
    {
        _allocator = new Allocator(_ledger, _time);
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        _allocator.Register(new FrameworkInfo("a", "a", "*"), new RecordingReceiver());
    }

    private void AcceptOneCpu(TimeSpan? refuse)
    {
        var offer = Assert.Single(_allocator.Allocate());
        var work = new Allocation("task-1", "n1", "a", Resources.Pod(1, 128));
        Assert.True(_allocator.Accept([offer.Id], [work], keepRemainder: false, refuse).Succeeded);
    }

    [Fact]
    public void A_remainder_given_back_with_no_refusal_is_offered_again_at_the_next_round()
    {
        AcceptOneCpu(TimeSpan.Zero);

        var again = Assert.Single(_allocator.Allocate());

        Assert.Equal(("a", 3000L), (again.FrameworkId, again.Resources.CpuMillis));
    }

    [Fact]
    public void A_remainder_given_back_with_a_refusal_is_kept_from_the_framework_until_it_runs_out()
    {
        AcceptOneCpu(TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_allocator.Allocate());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(_allocator.Allocate());
    }

    [Fact]
    public void A_remainder_given_back_without_a_refusal_named_is_kept_for_the_default_five_seconds()
    {
        AcceptOneCpu(null);

        _time.Advance(Allocator.DefaultRefusal - TimeSpan.FromSeconds(1));
        Assert.Empty(_allocator.Allocate());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(_allocator.Allocate());
    }
}
