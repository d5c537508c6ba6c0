using Gantry.Agent.Stats;
using Xunit;

namespace Gantry.Tests.Agent.Stats;

public sealed class CpuUsageCounterTests
{
    [Fact]
    public void Cgroup_v1_cpuacct_usage_is_already_in_nanoseconds()
    {
        Assert.Equal(15874265645UL, CpuUsageCounter.FromCpuacctUsage("15874265645\n"));
    }

    [Fact]
    public void Cgroup_v2_usage_usec_is_turned_into_nanoseconds()
    {
        const string cpuStat = "usage_usec 2500123\nuser_usec 2000000\nsystem_usec 500123\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n";

        Assert.Equal(2500123000UL, CpuUsageCounter.FromCpuStat(cpuStat));
    }

    [Fact]
    public void The_node_counts_every_busy_jiffy_of_proc_stat_but_idle_and_iowait()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice, in hundredths of a second.
        const string procStat = "cpu  1000 20 300 90000 400 5 6 7 50 0\ncpu0 500 10 150 45000 200 2 3 3 25 0\nintr 12345\n";

        Assert.Equal((1000UL + 20 + 300 + 5 + 6 + 7) * 10_000_000, CpuUsageCounter.FromProcStat(procStat));
    }

    [Fact]
    public void A_file_without_the_counter_has_no_usage()
    {
        Assert.Null(CpuUsageCounter.FromCpuacctUsage(null));
        Assert.Null(CpuUsageCounter.FromCpuStat("user_usec 10\n"));
        Assert.Null(CpuUsageCounter.FromProcStat("intr 1\n"));
    }
}
