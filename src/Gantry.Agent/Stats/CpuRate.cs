namespace Gantry.Agent.Stats;

/// <summary>
/// CPU usage as a rate, the way metrics-server derives it from two readings of a cumulative counter: the CPU time
/// used between them over the time between them, in nanocores (a billionth of a core).
/// </summary>
public static class CpuRate
{
    /// <summary>
    /// The rate from <paramref name="previous"/> to <paramref name="last"/> and the window it spans; null when the
    /// window is empty or the counter went down (a different cgroup under the same name), as metrics-server skips those.
    /// </summary>
    public static (ulong NanoCores, TimeSpan Window)? Between(UsageSample previous, UsageSample last)
    {
        var window = last.Time - previous.Time;
        if (window <= TimeSpan.Zero || last.CpuNanoseconds < previous.CpuNanoseconds)
        {
            return null;
        }

        var used = (double)(last.CpuNanoseconds - previous.CpuNanoseconds);
        return ((ulong)(used / window.TotalSeconds), window);
    }
}
