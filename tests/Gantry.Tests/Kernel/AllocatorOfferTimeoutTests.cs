using Gantry.Server.Kernel;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Kernel;

/// <summary>The offer timeout: an offer held too long is taken back when another framework waits, and only then.</summary>
public sealed class AllocatorOfferTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ResourceLedger _ledger = new();
    private readonly Allocator _allocator;
    private readonly RecordingReceiver _holder = new();

    public AllocatorOfferTimeoutTests()
    {
        _allocator = new Allocator(_ledger, _time);
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        _allocator.Register(new FrameworkInfo("holder", "holder", "*"), _holder);
    }

    [Fact]
    public void A_framework_alone_keeps_its_offer_however_long_it_holds_it()
    {
        var offer = Assert.Single(_allocator.Allocate());
        _time.Advance(Timeout * 3);

        Assert.Empty(_allocator.RescindStale(Timeout));
        Assert.Single(_allocator.OutstandingOffers("holder"), o => o.Id == offer.Id);
    }

    [Fact]
    public void An_offer_held_past_the_timeout_while_another_framework_waits_is_rescinded_and_goes_to_the_waiting_one()
    {
        var offer = Assert.Single(_allocator.Allocate());
        var waiting = new RecordingReceiver();
        _allocator.Register(new FrameworkInfo("waiting", "waiting", "*"), waiting);
        _time.Advance(Timeout);

        Assert.Equal([offer.Id], _allocator.RescindStale(Timeout));
        Assert.Equal([offer.Id], _holder.Rescinded);
        var next = Assert.Single(_allocator.Allocate());
        Assert.Equal("waiting", next.FrameworkId);
    }

    [Fact]
    public void A_younger_offer_is_left_alone()
    {
        Assert.Single(_allocator.Allocate());
        _allocator.Register(new FrameworkInfo("waiting", "waiting", "*"), new RecordingReceiver());
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));

        Assert.Empty(_allocator.RescindStale(Timeout));
    }

    [Fact]
    public void A_suppressed_framework_is_not_waiting_for_anything()
    {
        Assert.Single(_allocator.Allocate());
        _allocator.Register(new FrameworkInfo("quiet", "quiet", "*"), new RecordingReceiver());
        _allocator.Suppress("quiet");
        _time.Advance(Timeout);

        Assert.Empty(_allocator.RescindStale(Timeout));
    }
}
