using System.Diagnostics;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// The data directory's disk, measured as the store uses it: a 4 KiB write followed by an fsync, the floor under every
/// commit (the store's write-ahead log is synced on each); a pod's start here waits for two of them (its create and its
/// Running status; its binding is a third when the scheduler places it). Paced rather than back to back, as the pods' commits are, so that what it shows is the
/// disk's own stalls rather than a queue of the bench's writes.
/// </summary>
internal static class DiskSync
{
    private const int BlockSize = 4096;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    public static async Task<LatencyStats> MeasureAsync(string directory, int runs)
    {
        var path = Path.Combine(directory, "bench-disk-sync");
        var block = new byte[BlockSize];
        var samples = new List<long>(runs);
        try
        {
            using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
            for (var i = 0; i < runs; i++)
            {
                Random.Shared.NextBytes(block);
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(file, block, (long)(i % 256) * BlockSize);
                RandomAccess.FlushToDisk(file);
                samples.Add(Stopwatch.GetTimestamp() - started);
                await Task.Delay(Pace).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(path);
        }

        return LatencyStats.FromTicks(samples);
    }
}
