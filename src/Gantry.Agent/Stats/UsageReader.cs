using Gantry.Agent.Cgroups;

namespace Gantry.Agent.Stats;

/// <summary>
/// Reads usage samples from the kernel: a container's from its cgroup (two or three small files, through whichever
/// of v1 and v2 carries each controller on this machine), the node's from /proc/stat and /proc/meminfo.
/// </summary>
public sealed class UsageReader(CgroupHierarchies hierarchies, string procDirectory = "/proc")
{
    /// <summary>The cgroup's sample, or null when it is gone or its controllers are not mounted.</summary>
    public UsageSample? ReadCgroup(string relativePath, DateTimeOffset now)
    {
        var cpu = hierarchies.VersionOf("cpuacct") == CgroupVersion.V1
            ? CpuUsageCounter.FromCpuacctUsage(Read(hierarchies.V1Mounts["cpuacct"], relativePath, "cpuacct.usage"))
            : hierarchies.UnifiedMount is { } unified
                ? CpuUsageCounter.FromCpuStat(Read(unified, relativePath, "cpu.stat"))
                : null;
        var memory = hierarchies.VersionOf("memory") switch
        {
            CgroupVersion.V1 => MemoryWorkingSet.FromCgroupV1(
                Read(hierarchies.V1Mounts["memory"], relativePath, "memory.usage_in_bytes"), Read(hierarchies.V1Mounts["memory"], relativePath, "memory.stat")),
            CgroupVersion.V2 => MemoryWorkingSet.FromCgroupV2(
                Read(hierarchies.UnifiedMount!, relativePath, "memory.current"), Read(hierarchies.UnifiedMount!, relativePath, "memory.stat")),
            _ => null,
        };
        return cpu is { } c && memory is { } m ? new UsageSample(now, c, m) : null;
    }

    /// <summary>The whole machine's sample, as cadvisor's root container counts it.</summary>
    public UsageSample? ReadNode(DateTimeOffset now)
    {
        var cpu = CpuUsageCounter.FromProcStat(Read(procDirectory, "", "stat"));
        var memory = MemoryWorkingSet.FromMeminfo(Read(procDirectory, "", "meminfo"));
        return cpu is { } c && memory is { } m ? new UsageSample(now, c, m) : null;
    }

    private static string? Read(string mount, string relativePath, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(mount, relativePath, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The container may exit and its cgroup go between listing and reading it: a missing sample, not an error.
            return null;
        }
    }
}
