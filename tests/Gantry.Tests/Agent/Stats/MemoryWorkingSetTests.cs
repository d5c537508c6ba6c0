using Gantry.Agent.Stats;
using Xunit;

namespace Gantry.Tests.Agent.Stats;

public sealed class MemoryWorkingSetTests
{
    [Fact]
    public void Cgroup_v1_working_set_is_the_usage_less_the_hierarchical_inactive_file_pages()
    {
        const string memoryStat = "cache 4096\ninactive_file 1000\ntotal_cache 8192\ntotal_inactive_file 3000\n";

        Assert.Equal(10000UL - 3000, MemoryWorkingSet.FromCgroupV1("10000\n", memoryStat));
    }

    [Fact]
    public void Cgroup_v2_working_set_is_memory_current_less_inactive_file()
    {
        const string memoryStat = "anon 5000\nfile 4000\nactive_file 1500\ninactive_file 2500\n";

        Assert.Equal(12000UL - 2500, MemoryWorkingSet.FromCgroupV2("12000\n", memoryStat));
    }

    [Fact]
    public void The_working_set_never_goes_below_zero()
    {
        Assert.Equal(0UL, MemoryWorkingSet.FromCgroupV2("1000\n", "inactive_file 4096\n"));
    }

    [Fact]
    public void The_node_working_set_is_what_is_not_free_less_inactive_file_pages()
    {
        const string meminfo = "MemTotal:       16000 kB\nMemFree:         4000 kB\nMemAvailable:   9000 kB\nInactive(file):  3000 kB\n";

        Assert.Equal((16000UL - 4000 - 3000) * 1024, MemoryWorkingSet.FromMeminfo(meminfo));
    }

    [Fact]
    public void A_cgroup_without_its_usage_file_has_no_working_set()
    {
        Assert.Null(MemoryWorkingSet.FromCgroupV1(null, "total_inactive_file 0\n"));
    }
}
