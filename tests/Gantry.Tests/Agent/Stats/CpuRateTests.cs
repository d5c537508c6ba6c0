using Gantry.Agent.Stats;
using Xunit;

namespace Gantry.Tests.Agent.Stats;

public sealed class CpuRateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_rate_is_the_cpu_time_used_between_two_samples_over_the_time_between_them()
    {
        var rate = CpuRate.Between(new UsageSample(T0, 1_000_000_000, 0), new UsageSample(T0.AddSeconds(10), 6_000_000_000, 0));

        Assert.Equal((500_000_000UL, TimeSpan.FromSeconds(10)), rate);
    }

    [Fact]
    public void A_counter_that_went_down_gives_no_rate()
    {
        Assert.Null(CpuRate.Between(new UsageSample(T0, 5_000, 0), new UsageSample(T0.AddSeconds(10), 4_000, 0)));
    }

    [Fact]
    public void Two_samples_at_the_same_moment_give_no_rate()
    {
        Assert.Null(CpuRate.Between(new UsageSample(T0, 1_000, 0), new UsageSample(T0, 2_000, 0)));
    }
}
