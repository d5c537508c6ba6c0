using System.Diagnostics;
using System.Globalization;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// Turns <see cref="Stopwatch"/> timestamps into Unix seconds, so the bench's per-pod timeline can be
/// lined up with an outside trace of the agent (strace -ttt, perf) that stamps with the realtime clock.
/// </summary>
internal static class WallClock
{
    private static readonly long BaseTimestamp = Stopwatch.GetTimestamp();
    private static readonly long BaseUnixTicks = TimeProvider.System.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    /// <returns>Seconds since the Unix epoch with microseconds, or "" for a timestamp never taken (0).</returns>
    public static string UnixSeconds(long timestamp) =>
        timestamp == 0
            ? ""
            : ((BaseUnixTicks + Stopwatch.GetElapsedTime(BaseTimestamp, timestamp).Ticks) / (double)TimeSpan.TicksPerSecond).ToString("0.000000", CultureInfo.InvariantCulture);
}
