using System.Globalization;

namespace Gantry.Agent.Stats;

/// <summary>
/// The cumulative CPU time a cgroup or the machine has used, in nanoseconds, from the kernel's counters: cgroup v1's
/// <c>cpuacct.usage</c> (nanoseconds), cgroup v2's <c>usage_usec</c> line of <c>cpu.stat</c> (microseconds), and the
/// busy jiffies of <c>/proc/stat</c>'s first line for the node. Null when the text holds no such counter.
/// </summary>
public static class CpuUsageCounter
{
    /// <summary>USER_HZ, the unit of /proc/stat: 100 on every Linux architecture the kernel exports to user space.</summary>
    private const ulong NanosecondsPerJiffy = 1_000_000_000 / 100;

    public static ulong? FromCpuacctUsage(string? text) =>
        ulong.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds) ? nanoseconds : null;

    public static ulong? FromCpuStat(string? text) => KeyedValue.Find(text, "usage_usec") * 1000;

    /// <summary>
    /// The "cpu" line sums every CPU: user nice system idle iowait irq softirq steal guest guest_nice. Busy time is all
    /// but idle and iowait; guest time is already counted in user and nice, so it is not added again.
    /// </summary>
    public static ulong? FromProcStat(string? text)
    {
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => ulong.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .ToArray();
        if (fields.Length < 4)
        {
            return null;
        }

        ulong Field(int i) => i < fields.Length ? fields[i] : 0;
        var busy = Field(0) + Field(1) + Field(2) + Field(5) + Field(6) + Field(7);
        return busy * NanosecondsPerJiffy;
    }
}
