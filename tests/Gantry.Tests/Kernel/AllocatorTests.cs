using Gantry.Server.Kernel;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Kernel;

public sealed class AllocatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ResourceLedger _ledger = new();
    private readonly Allocator _allocator;

    public AllocatorTests() => _allocator = new Allocator(_ledger, _time);

    private RecordingReceiver Register(string id, string role = "*")
    {
        var receiver = new RecordingReceiver();
        _allocator.Register(new FrameworkInfo(id, id, role), receiver);
        return receiver;
    }

    private void Hold(string framework, string node, double cpus, long memMi) =>
        Assert.True(_ledger.TryCommit([new Allocation(Guid.NewGuid().ToString(), node, framework, Resources.Pod(cpus, memMi))]).Succeeded);

    [Fact]
    public void Allocator_offers_a_node_whole_to_one_framework()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        var a = Register("a");

        var offer = Assert.Single(_allocator.Allocate());

        Assert.Equal("a", offer.FrameworkId);
        Assert.Equal(4000, offer.Resources.CpuMillis);
        Assert.Single(a.Offers);
    }

    [Fact]
    public void Allocator_offers_to_the_framework_with_the_lowest_dominant_share()
    {
        _ledger.SetNode("n1", Resources.Of(10, 10_240));
        _ledger.SetNode("n2", Resources.Of(10, 10_240));
        Register("cpu-heavy");
        Register("mem-heavy");
        Hold("cpu-heavy", "n1", 6, 1024);
        Hold("mem-heavy", "n1", 1, 4096);

        var offers = _allocator.Allocate();

        // mem-heavy's dominant share (4 GiB of 20) is below cpu-heavy's (6 of 20 cpus).
        Assert.Equal("mem-heavy", offers[0].FrameworkId);
    }

    [Fact]
    public void Offered_resources_count_toward_the_share_within_a_round()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        _ledger.SetNode("n2", Resources.Of(4, 4096));
        Register("a");
        Register("b");

        var offers = _allocator.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.NotEqual(offers[0].FrameworkId, offers[1].FrameworkId);
    }

    [Fact]
    public void A_role_with_twice_the_weight_is_entitled_to_twice_the_share()
    {
        _ledger.SetNode("n1", Resources.Of(10, 10_240));
        _ledger.SetNode("n2", Resources.Of(10, 10_240));
        _allocator.SetRole("heavy", new RoleSettings(2, ResourceVector.Zero));
        Register("x", "heavy");
        Register("y", "light");
        Hold("x", "n1", 6, 10);
        Hold("y", "n1", 4, 10);

        var offer = _allocator.Allocate()[0];

        // x holds 6/20 = 0.3 at weight 2 → 0.15; y holds 4/20 = 0.2 at weight 1.
        Assert.Equal("x", offer.FrameworkId);
    }

    [Fact]
    public void A_role_below_its_quota_is_offered_first()
    {
        _ledger.SetNode("n1", Resources.Of(10, 10_240));
        _allocator.SetRole("guaranteed", new RoleSettings(1, Resources.Of(8, 1024, 0)));
        Register("rich", "guaranteed");
        Register("poor", "other");
        Hold("rich", "n1", 5, 10);

        var offer = Assert.Single(_allocator.Allocate());

        Assert.Equal("rich", offer.FrameworkId);
    }

    [Fact]
    public void Resources_owed_to_a_quota_are_not_offered_to_other_roles()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        _allocator.SetRole("guaranteed", new RoleSettings(1, Resources.Of(4, 1024, 0)));
        var owner = Register("owner", "guaranteed");
        Register("other", "other");
        _allocator.Suppress("owner");

        Assert.Empty(_allocator.Allocate());
        Assert.Empty(owner.Offers);
    }

    [Fact]
    public void A_declined_node_is_not_offered_again_to_that_framework_until_the_filter_expires()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        _allocator.Decline(offer.Id, TimeSpan.FromSeconds(10));
        Assert.Empty(_allocator.Allocate());

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Single(_allocator.Allocate());
    }

    [Fact]
    public void A_declined_node_goes_to_another_framework()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        Register("b");
        var first = Assert.Single(_allocator.Allocate());

        _allocator.Decline(first.Id, TimeSpan.FromSeconds(10));
        var second = Assert.Single(_allocator.Allocate());

        Assert.NotEqual(first.FrameworkId, second.FrameworkId);
    }

    [Fact]
    public void Accepting_commits_the_work_and_keeps_the_remainder_when_asked()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        var commit = _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(1, 1024))], keepRemainder: true);

        Assert.True(commit.Succeeded);
        Assert.Equal(3000, Assert.Single(_allocator.OutstandingOffers("a")).Resources.CpuMillis);
        Assert.NotNull(_ledger.Find("p1"));
    }

    [Fact]
    public void Pod_slots_freed_on_a_node_whose_cpu_and_memory_a_remainder_offer_holds_are_offered()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096, pods: 2));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());
        var bestEffort = Resources.Of(0, 0, pods: 1);
        _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", bestEffort), new Allocation("p2", "n1", "a", bestEffort)], keepRemainder: true);
        Assert.Equal(0, Assert.Single(_allocator.OutstandingOffers("a")).Resources.Pods);

        _ledger.Release("p1");

        var slots = Assert.Single(_allocator.Allocate());
        Assert.Equal((1L, 0L), (slots.Resources.Pods, slots.Resources.CpuMillis));
    }

    [Fact]
    public void Accepting_without_keeping_the_remainder_filters_the_node_for_the_default_refusal()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(1, 1024))], keepRemainder: false);

        Assert.Empty(_allocator.OutstandingOffers("a"));
        Assert.Empty(_allocator.Allocate());
        _time.Advance(Allocator.DefaultRefusal);
        Assert.Equal(3000, Assert.Single(_allocator.Allocate()).Resources.CpuMillis);
    }

    [Fact]
    public void Released_work_is_offered_again_in_the_next_round()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());
        _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(4, 4096))], keepRemainder: true);
        Assert.Empty(_allocator.Allocate());

        _ledger.Release("p1");

        Assert.Equal(4000, Assert.Single(_allocator.Allocate()).Resources.CpuMillis);
    }

    [Fact]
    public void Work_recorded_beside_an_offer_rescinds_it_in_the_next_round()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        var a = Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        _ledger.Record(new Allocation("bound-by-name", "n1", "a", Resources.Pod(1, 1024)));
        var next = Assert.Single(_allocator.Allocate());

        Assert.Equal([offer.Id], a.Rescinded);
        Assert.Equal(3000, next.Resources.CpuMillis);
    }

    [Fact]
    public void The_offers_version_stays_when_an_accept_keeps_its_remainder_and_rises_when_offers_change()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var before = _allocator.OffersVersion;
        var offer = Assert.Single(_allocator.Allocate());
        var offered = _allocator.OffersVersion;

        _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(1, 1024))], keepRemainder: true);
        var accepted = _allocator.OffersVersion;
        _allocator.Decline(offer.Id, TimeSpan.Zero);

        Assert.True(offered > before);
        Assert.Equal(offered, accepted);
        Assert.True(_allocator.OffersVersion > accepted);
    }

    [Fact]
    public void Work_beyond_the_offer_is_refused()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        var commit = _allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(5, 1024))], keepRemainder: true);

        Assert.False(commit.Succeeded);
        Assert.Null(_ledger.Find("p1"));
    }

    [Fact]
    public void An_offer_whose_node_left_is_rescinded_and_cannot_be_accepted()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        var a = Register("a");
        var offer = Assert.Single(_allocator.Allocate());

        _ledger.RemoveNode("n1");
        _allocator.Allocate();

        Assert.Equal([offer.Id], a.Rescinded);
        Assert.False(_allocator.Accept([offer.Id], [new Allocation("p1", "n1", "a", Resources.Pod(1, 1))], keepRemainder: true).Succeeded);
    }

    [Fact]
    public void A_suppressed_framework_gets_no_offers_until_revived()
    {
        _ledger.SetNode("n1", Resources.Of(4, 4096));
        Register("a");
        _allocator.Suppress("a");

        Assert.Empty(_allocator.Allocate());
        _allocator.Revive("a");
        Assert.Single(_allocator.Allocate());
    }

    [Fact]
    public void Frameworks_accepting_concurrently_never_over_commit()
    {
        for (var n = 0; n < 8; n++)
        {
            _ledger.SetNode($"n{n}", Resources.Of(4, 4096, 1000));
        }

        var frameworks = Enumerable.Range(0, 4).Select(i => $"f{i}").ToList();
        foreach (var f in frameworks)
        {
            Register(f);
        }

        Parallel.ForEach(frameworks, framework =>
        {
            for (var round = 0; round < 200; round++)
            {
                _allocator.Allocate();
                foreach (var offer in _allocator.OutstandingOffers(framework))
                {
                    _allocator.Accept([offer.Id], [new Allocation($"{framework}-{round}-{offer.Node}", offer.Node, framework, Resources.Pod(0.5, 100))], keepRemainder: round % 2 == 0);
                }

                if (round % 5 == 0)
                {
                    _ledger.Release($"{framework}-{round - 1}-n{round % 8}");
                }
            }
        });

        foreach (var account in _ledger.Snapshot().Nodes.Values)
        {
            Assert.True(account.Allocated.FitsIn(account.Allocatable), $"{account.Node} is over-committed: {account.Allocated}");
        }
    }

    [Fact]
    public void Accepting_offers_of_several_nodes_commits_all_the_work_or_none()
    {
        _ledger.SetNode("n1", Resources.Of(2, 4096));
        _ledger.SetNode("n2", Resources.Of(2, 4096));
        Register("a");
        var offers = _allocator.Allocate().ToDictionary(o => o.Node, o => o.Id);

        var tooMuch = _allocator.AcceptAll(
        [
            new OfferAcceptance([offers["n1"]], [new Allocation("g1", "n1", "a", Resources.Pod(2, 10))]),
            new OfferAcceptance([offers["n2"]], [new Allocation("g2", "n2", "a", Resources.Pod(3, 10))]),
        ], keepRemainder: true);
        Assert.False(tooMuch.Succeeded);
        Assert.Null(_ledger.Find("g1"));

        var fits = _allocator.AcceptAll(
        [
            new OfferAcceptance([offers["n1"]], [new Allocation("g1", "n1", "a", Resources.Pod(2, 10))]),
            new OfferAcceptance([offers["n2"]], [new Allocation("g2", "n2", "a", Resources.Pod(2, 10))]),
        ], keepRemainder: true);
        Assert.True(fits.Succeeded);
        Assert.NotNull(_ledger.Find("g1"));
        Assert.NotNull(_ledger.Find("g2"));
    }
}
