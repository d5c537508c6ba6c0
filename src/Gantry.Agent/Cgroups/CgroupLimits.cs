namespace Gantry.Agent.Cgroups;

/// <summary>
/// What a cgroup may use, in the units Kubernetes speaks: CPU in millicores, memory in bytes,
/// a process count. <c>null</c> means "not limited" (for a request: "nothing asked for").
/// </summary>
/// <param name="CpuRequestMillicores">The CPU share asked for; becomes cpu.shares (v1) or cpu.weight (v2).</param>
/// <param name="CpuLimitMillicores">The hard CPU ceiling; becomes a CFS quota per 100 ms period.</param>
/// <param name="MemoryLimitBytes">The hard memory ceiling; swap is kept at zero so the ceiling is real.</param>
/// <param name="PidsLimit">The most processes and threads that may exist at once.</param>
public sealed record CgroupLimits(
    long? CpuRequestMillicores = null,
    long? CpuLimitMillicores = null,
    long? MemoryLimitBytes = null,
    long? PidsLimit = null)
{
    public static CgroupLimits None { get; } = new();

    /// <summary>
    /// The limits of a pod from those of its containers, as the kubelet computes them: requests add
    /// up; a limit exists only when every container has one, because one unlimited container makes
    /// the whole pod unlimited.
    /// </summary>
    public static CgroupLimits ForPod(IEnumerable<CgroupLimits> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var list = containers.ToList();
        if (list.Count == 0)
        {
            return None;
        }

        return new CgroupLimits(
            CpuRequestMillicores: list.Any(c => c.CpuRequestMillicores is not null)
                ? list.Sum(c => c.CpuRequestMillicores ?? 0)
                : null,
            CpuLimitMillicores: SumWhenAllSet(list.Select(c => c.CpuLimitMillicores)),
            MemoryLimitBytes: SumWhenAllSet(list.Select(c => c.MemoryLimitBytes)),
            PidsLimit: SumWhenAllSet(list.Select(c => c.PidsLimit)));
    }

    private static long? SumWhenAllSet(IEnumerable<long?> values)
    {
        long sum = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                return null;
            }

            sum += value.Value;
        }

        return sum;
    }
}
