using System.Diagnostics;
using System.Net;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.ServiceProxy;

/// <summary>What one run measured: each path's latency and throughput, and how long endpoint changes took to be in force.</summary>
internal sealed record ProxyMeasurements(
    LatencyStats DirectLatency,
    LatencyStats ClusterIpLatency,
    Throughput DirectThroughput,
    Throughput ClusterIpThroughput,
    LatencyStats EndpointAdded,
    LatencyStats EndpointRemoved,
    IReadOnlyDictionary<string, int> BackendsSeen);

/// <summary>Requests answered over a fixed time by a fixed number of connections at once.</summary>
/// <param name="FirstError">What the first failed request saw; null when none failed.</param>
internal sealed record Throughput(int Requests, int Errors, TimeSpan Elapsed, string? FirstError)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>Runs <paramref name="concurrency"/> loops of GETs for <paramref name="duration"/>, each loop on its own target in turn.</summary>
    public static async Task<Throughput> MeasureAsync(IReadOnlyList<IPEndPoint> targets, int concurrency, TimeSpan duration)
    {
        var requests = 0;
        var errors = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async loop =>
        {
            for (var i = loop; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await HttpProbe.GetAsync(targets[i % targets.Count], stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref requests);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                }
            }
        })).ConfigureAwait(false);
        return new Throughput(requests, errors, watch.Elapsed, firstError);
    }
}
