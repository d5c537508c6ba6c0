using System.Diagnostics;

namespace Gantry.Bench.Measurement;

/// <summary>Nearest-rank percentiles of a set of latencies, in milliseconds.</summary>
internal sealed record LatencyStats(int Count, double P50, double P90, double P99, double Max)
{
    public static LatencyStats Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <param name="ticks">Durations in <see cref="Stopwatch"/> ticks; sorted in place.</param>
    public static LatencyStats FromTicks(List<long> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (ticks.Count == 0)
        {
            return Empty;
        }

        ticks.Sort();
        return new LatencyStats(ticks.Count, At(0.50), At(0.90), At(0.99), ToMilliseconds(ticks[^1]));

        double At(double quantile)
        {
            var rank = (int)Math.Ceiling(quantile * ticks.Count) - 1;
            return ToMilliseconds(ticks[Math.Clamp(rank, 0, ticks.Count - 1)]);
        }
    }

    public static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
