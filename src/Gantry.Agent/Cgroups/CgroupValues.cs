namespace Gantry.Agent.Cgroups;

/// <summary>
/// The arithmetic from Kubernetes units to kernel knobs, identical to the kubelet's and runc's so
/// that a pod gets the same share of the machine here as it would on any other node.
/// </summary>
public static class CgroupValues
{
    /// <summary>The CFS period every quota is expressed against: 100 ms, the kernel's default.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>The lowest cpu.shares the kernel accepts; what a container that asked for nothing gets.</summary>
    public const long MinShares = 2;

    /// <summary>The highest cpu.shares the kernel accepts.</summary>
    public const long MaxShares = 262_144;

    /// <summary>The smallest quota the kubelet writes: 1 ms per period, below which CFS starves the task.</summary>
    public const long MinQuotaMicroseconds = 1_000;

    /// <summary>cpu.shares from a request: 1024 per CPU, clamped into the kernel's range.</summary>
    public static long CpuShares(long? requestMillicores)
    {
        if (requestMillicores is not { } millicores || millicores <= 0)
        {
            return MinShares;
        }

        return Math.Clamp(millicores * 1024 / 1000, MinShares, MaxShares);
    }

    /// <summary>cpu.weight (v2) from cpu.shares, by runc's linear map of [2, 262144] onto [1, 10000].</summary>
    public static long CpuWeight(long shares) => 1 + ((Math.Clamp(shares, MinShares, MaxShares) - 2) * 9999 / 262_142);

    /// <summary>The CFS quota for a limit, or <c>null</c> when the CPU is not limited.</summary>
    public static long? CpuQuotaMicroseconds(long? limitMillicores)
    {
        if (limitMillicores is not { } millicores || millicores <= 0)
        {
            return null;
        }

        return Math.Max(millicores * CpuPeriodMicroseconds / 1000, MinQuotaMicroseconds);
    }

    /// <summary>The v2 cpu.max line: "quota period", or "max period" when unlimited.</summary>
    public static string CpuMax(long? limitMillicores) =>
        CpuQuotaMicroseconds(limitMillicores) is { } quota
            ? $"{quota} {CpuPeriodMicroseconds}"
            : $"max {CpuPeriodMicroseconds}";
}
