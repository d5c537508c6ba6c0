namespace Gantry.Server.Monitoring;

/// <summary>
/// A Prometheus histogram with fixed upper bounds, safe to observe from any thread without a lock: each observation
/// adds one to the first bucket whose bound holds it (the cumulative counts are summed when written out).
/// </summary>
public sealed class LatencyHistogram(double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _sumBits;

    public void Observe(double seconds)
    {
        var bucket = Array.BinarySearch(bounds, seconds);
        Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);
        long seen, next;
        do
        {
            seen = Volatile.Read(ref _sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + seconds);
        }
        while (Interlocked.CompareExchange(ref _sumBits, next, seen) != seen);
    }

    /// <summary>Writes the series' <c>_bucket</c> lines (with <c>le</c> after <paramref name="labels"/>), <c>_sum</c> and <c>_count</c>.</summary>
    public void WriteTo(PrometheusText text, string name, (string Name, string Value)[] labels)
    {
        var withBound = new (string Name, string Value)[labels.Length + 1];
        labels.CopyTo(withBound, 0);
        long cumulative = 0;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            withBound[^1] = ("le", i < bounds.Length ? PrometheusText.Format(bounds[i]) : "+Inf");
            text.Sample(name + "_bucket", withBound, cumulative);
        }

        text.Sample(name + "_sum", labels, BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits)));
        text.Sample(name + "_count", labels, cumulative);
    }
}
