using System.Globalization;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// Turns limits into the control-file writes that enforce them, for whichever interface each
/// controller is reached through. Pure: the same inputs always give the same writes.
/// </summary>
public static class CgroupWritePlan
{
    public static IReadOnlyList<CgroupFileWrite> For(CgroupLimits limits, Func<string, CgroupVersion?> versionOf)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(versionOf);
        var writes = new List<CgroupFileWrite>();
        AddCpu(writes, limits, versionOf("cpu"));
        AddMemory(writes, limits, versionOf("memory"));
        AddPids(writes, limits, versionOf("pids"));
        return writes;
    }

    private static void AddCpu(List<CgroupFileWrite> writes, CgroupLimits limits, CgroupVersion? version)
    {
        var shares = CgroupValues.CpuShares(limits.CpuRequestMillicores);
        switch (version)
        {
            case CgroupVersion.V1:
                writes.Add(new("cpu", "cpu.shares", Text(shares)));
                writes.Add(new("cpu", "cpu.cfs_period_us", Text(CgroupValues.CpuPeriodMicroseconds)));
                writes.Add(new("cpu", "cpu.cfs_quota_us", Text(CgroupValues.CpuQuotaMicroseconds(limits.CpuLimitMillicores) ?? -1)));
                break;
            case CgroupVersion.V2:
                writes.Add(new("cpu", "cpu.weight", Text(CgroupValues.CpuWeight(shares))));
                writes.Add(new("cpu", "cpu.max", CgroupValues.CpuMax(limits.CpuLimitMillicores)));
                break;
        }
    }

    private static void AddMemory(List<CgroupFileWrite> writes, CgroupLimits limits, CgroupVersion? version)
    {
        if (limits.MemoryLimitBytes is not { } bytes)
        {
            return;
        }

        switch (version)
        {
            case CgroupVersion.V1:
                // memory+swap may never be below memory, so memory goes first; making them equal
                // leaves no room for swap, which is what a Kubernetes memory limit means.
                writes.Add(new("memory", "memory.limit_in_bytes", Text(bytes)));
                writes.Add(new("memory", "memory.memsw.limit_in_bytes", Text(bytes), Optional: true));
                writes.Add(new("memory", "memory.swappiness", "0", Optional: true));
                break;
            case CgroupVersion.V2:
                writes.Add(new("memory", "memory.max", Text(bytes)));
                writes.Add(new("memory", "memory.swap.max", "0", Optional: true));
                break;
        }
    }

    private static void AddPids(List<CgroupFileWrite> writes, CgroupLimits limits, CgroupVersion? version)
    {
        if (limits.PidsLimit is { } pids && version is not null)
        {
            writes.Add(new("pids", "pids.max", Text(pids)));
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
