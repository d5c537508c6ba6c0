using Gantry.Server.Scheduling;
using Xunit;

namespace Gantry.Tests.Scheduling;

public sealed class DomainTallyTests
{
    [Fact]
    public void A_domain_reads_the_same_count_by_name_and_by_id()
    {
        var tally = new DomainTally();

        tally.Add("zone-a", 3, 2);
        tally.Add("zone-b", 0, 1);

        Assert.Equal(2, tally.At(3));
        Assert.Equal(2, tally.Of("zone-a"));
        Assert.Equal(1, tally.At(0));
        Assert.Equal(["zone-a", "zone-b"], tally.Keys.Order());
    }

    [Fact]
    public void A_domain_counted_down_to_zero_leaves_and_reads_zero()
    {
        var tally = new DomainTally();
        tally.Add("zone-a", 1, 1);

        tally.Add("zone-a", 1, -1);

        Assert.Equal(0, tally.Count);
        Assert.Equal(0, tally.At(1));
        Assert.Equal(0, tally.Of("zone-a"));
    }

    [Fact]
    public void An_id_never_counted_or_no_domain_reads_zero()
    {
        var tally = new DomainTally();
        tally.Add("zone-a", 0, 1);

        Assert.Equal(0, tally.At(100));
        Assert.Equal(0, tally.At(-1));
    }
}
