using System.Diagnostics;

namespace Gantry.Bench.Measurement;

/// <summary>
/// N workers, each sending its next request as soon as the previous one answered, for a fixed time.
/// Latency is per request; throughput is what the server sustains at that concurrency.
/// </summary>
internal static class ClosedLoop
{
    /// <param name="operation">(worker, sequence, token) → completes when answered; throws on a failed request.</param>
    public static async Task<LoadRun> RunAsync(int concurrency, TimeSpan duration, int serverPid, Func<int, long, CancellationToken, Task> operation)
    {
        var perWorker = new List<long>[concurrency];
        var errors = 0;
        string? firstError = null;
        using var stop = new CancellationTokenSource();
        var cpu = new CpuMeter(serverPid);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var latencies = perWorker[worker] = new List<long>(4096);
            for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    await operation(worker, sequence, CancellationToken.None).ConfigureAwait(false);
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or BenchRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            }
        })).ToList();

        stop.CancelAfter(duration);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new List<long>(perWorker.Sum(l => l.Count));
        foreach (var latencies in perWorker)
        {
            all.AddRange(latencies);
        }

        return new LoadRun(all, errors, firstError, elapsed, cpu.Stop());
    }
}
