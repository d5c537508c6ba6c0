using System.Globalization;

namespace Gantry.Agent.Stats;

/// <summary>
/// The working set as cadvisor computes it and the kubelet reports it: the memory in use less the inactive file
/// pages, which the kernel reclaims first (never below zero). A cgroup's comes from v1's
/// <c>memory.usage_in_bytes</c> and <c>total_inactive_file</c> (the hierarchical count, children included) or v2's
/// <c>memory.current</c> and <c>inactive_file</c>; the node's from <c>/proc/meminfo</c>. Null when a file lacks its value.
/// </summary>
public static class MemoryWorkingSet
{
    public static ulong? FromCgroupV1(string? usageInBytes, string? memoryStat) =>
        Of(ParseNumber(usageInBytes), KeyedValue.Find(memoryStat, "total_inactive_file"));

    public static ulong? FromCgroupV2(string? memoryCurrent, string? memoryStat) =>
        Of(ParseNumber(memoryCurrent), KeyedValue.Find(memoryStat, "inactive_file"));

    /// <summary>What the machine uses (total less free), less its inactive file pages.</summary>
    public static ulong? FromMeminfo(string? meminfo)
    {
        var total = KeyedValue.Find(meminfo, "MemTotal");
        var free = KeyedValue.Find(meminfo, "MemFree");
        return total is { } t && free is { } f && t >= f ? Of(t - f, KeyedValue.Find(meminfo, "Inactive(file)")) : null;
    }

    private static ulong? Of(ulong? usage, ulong? inactiveFile) => usage switch
    {
        null => null,
        { } used when (inactiveFile ?? 0) < used => used - (inactiveFile ?? 0),
        _ => 0,
    };

    private static ulong? ParseNumber(string? text) =>
        ulong.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
