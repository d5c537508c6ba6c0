using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class CgroupValuesTests
{
    [Theory]
    [InlineData(null, 2)]
    [InlineData(0L, 2)]
    [InlineData(1L, 2)]
    [InlineData(250L, 256)]
    [InlineData(1000L, 1024)]
    [InlineData(3500L, 3584)]
    [InlineData(1_000_000L, 262_144)]
    public void Cpu_shares_are_1024_per_cpu_requested_within_the_kernels_range(long? millicores, long shares) =>
        Assert.Equal(shares, CgroupValues.CpuShares(millicores));

    [Theory]
    [InlineData(2L, 1L)]
    [InlineData(1024L, 39L)]
    [InlineData(262_144L, 10_000L)]
    public void Cpu_weight_maps_shares_linearly_onto_one_to_ten_thousand_as_runc_does(long shares, long weight) =>
        Assert.Equal(weight, CgroupValues.CpuWeight(shares));

    [Theory]
    [InlineData(500L, 50_000L)]
    [InlineData(2000L, 200_000L)]
    [InlineData(5L, 1_000L)]
    public void A_cpu_limit_becomes_a_quota_per_100_ms_period_of_at_least_1_ms(long millicores, long quota) =>
        Assert.Equal(quota, CgroupValues.CpuQuotaMicroseconds(millicores));

    [Fact]
    public void No_cpu_limit_means_no_quota()
    {
        Assert.Null(CgroupValues.CpuQuotaMicroseconds(null));
        Assert.Equal("max 100000", CgroupValues.CpuMax(null));
        Assert.Equal("25000 100000", CgroupValues.CpuMax(250));
    }
}
