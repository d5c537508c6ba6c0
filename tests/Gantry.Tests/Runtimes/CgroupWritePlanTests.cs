using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class CgroupWritePlanTests
{
    private static readonly CgroupLimits Limits = new(CpuRequestMillicores: 500, CpuLimitMillicores: 1500, MemoryLimitBytes: 64 << 20, PidsLimit: 100);

    [Fact]
    public void On_v1_memory_goes_before_memory_plus_swap_which_equals_it_so_there_is_no_swap()
    {
        var writes = CgroupWritePlan.For(Limits, _ => CgroupVersion.V1);

        Assert.Equal(
            [
                new CgroupFileWrite("cpu", "cpu.shares", "512"),
                new CgroupFileWrite("cpu", "cpu.cfs_period_us", "100000"),
                new CgroupFileWrite("cpu", "cpu.cfs_quota_us", "150000"),
                new CgroupFileWrite("memory", "memory.limit_in_bytes", "67108864"),
                new CgroupFileWrite("memory", "memory.memsw.limit_in_bytes", "67108864", Optional: true),
                new CgroupFileWrite("memory", "memory.swappiness", "0", Optional: true),
                new CgroupFileWrite("pids", "pids.max", "100"),
            ],
            writes);
    }

    [Fact]
    public void On_v2_the_same_limits_become_weight_cpu_max_memory_max_and_zero_swap()
    {
        var writes = CgroupWritePlan.For(Limits, _ => CgroupVersion.V2);

        Assert.Equal(
            [
                new CgroupFileWrite("cpu", "cpu.weight", "20"),
                new CgroupFileWrite("cpu", "cpu.max", "150000 100000"),
                new CgroupFileWrite("memory", "memory.max", "67108864"),
                new CgroupFileWrite("memory", "memory.swap.max", "0", Optional: true),
                new CgroupFileWrite("pids", "pids.max", "100"),
            ],
            writes);
    }

    [Fact]
    public void Without_limits_the_cpu_is_unthrottled_at_the_lowest_share_and_memory_and_pids_untouched()
    {
        var writes = CgroupWritePlan.For(CgroupLimits.None, _ => CgroupVersion.V1);

        Assert.Equal(
            [
                new CgroupFileWrite("cpu", "cpu.shares", "2"),
                new CgroupFileWrite("cpu", "cpu.cfs_period_us", "100000"),
                new CgroupFileWrite("cpu", "cpu.cfs_quota_us", "-1"),
            ],
            writes);
    }

    [Fact]
    public void Each_controller_is_written_through_the_interface_that_carries_it_and_skipped_where_none_does()
    {
        var writes = CgroupWritePlan.For(Limits, c => c switch { "memory" => CgroupVersion.V1, "cpu" => CgroupVersion.V2, _ => null });

        Assert.Equal(["cpu.weight", "cpu.max", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.swappiness"], writes.Select(w => w.File));
    }
}
