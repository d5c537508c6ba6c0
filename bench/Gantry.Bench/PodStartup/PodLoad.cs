using System.Globalization;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// How a row's pods are created: a closed loop of <see cref="Concurrency"/> workers, each waiting for its pod to run
/// before creating the next (what the node sustains), or an open loop creating pods at <see cref="Rate"/> a second
/// whatever the earlier ones are doing. The open loop is how Kubernetes measures a node's pod startup latency:
/// clusterloader2's node-throughput test creates its latency pods at a uniform rate (1 to 5 a second).
/// </summary>
internal sealed record PodLoad(int? Concurrency, double? Rate)
{
    public static PodLoad Closed(int concurrency) => new(concurrency, null);

    public static PodLoad Open(double rate) => new(null, rate);

    public override string ToString() =>
        Concurrency is { } c ? c.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Rate:0.##}/s");

    /// <summary>In words, for progress lines and verdicts.</summary>
    public string Describe() =>
        Concurrency is { } c ? $"concurrency {c}" : string.Create(CultureInfo.InvariantCulture, $"{Rate:0.##} pods/s");

    /// <summary>For pod names: c1, r5.</summary>
    public string Tag => Concurrency is { } c ? $"c{c}" : string.Create(CultureInfo.InvariantCulture, $"r{Rate:0.##}");
}
