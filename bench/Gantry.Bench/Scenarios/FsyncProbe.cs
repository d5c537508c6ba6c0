using System.Diagnostics;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Scenarios;

/// <summary>
/// The disk's rate of one-at-a-time durable writes: sequential 4 KiB appends, each followed by
/// fsync, in the server's own data directory. A store that fsyncs every write alone cannot beat it.
/// </summary>
internal static class FsyncProbe
{
    private const int BlockSize = 4096;

    public static LoadRun Measure(string directory, TimeSpan duration, int serverPid)
    {
        var path = Path.Combine(directory, "fsync-probe.tmp");
        var block = new byte[BlockSize];
        Random.Shared.NextBytes(block);
        var latencies = new List<long>();
        var cpu = new CpuMeter(serverPid);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var before = Stopwatch.GetTimestamp();
                file.Write(block);
                // Flush(true) is fsync(2) on Linux.
                file.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetTimestamp() - before);
            }
        }
        finally
        {
            File.Delete(path);
        }

        return new LoadRun(latencies, 0, null, Stopwatch.GetElapsedTime(started), cpu.Stop());
    }
}
