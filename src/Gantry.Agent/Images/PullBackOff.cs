namespace Gantry.Agent.Images;

/// <summary>
/// The kubelet's image pull back-off (flowcontrol.Backoff with 10s initial and 300s maximum): after
/// a failed pull of an image for a pod, no new pull is tried until the delay since that failure has
/// passed; each further failure doubles the delay; an entry idle for twice the maximum starts over.
/// Keys are "podUID_image", as the kubelet's are. A pure state machine over the times it is given.
/// </summary>
public sealed class PullBackOff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(300);

    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset LastFailure)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Whether a pull for <paramref name="key"/> must wait; the delay it waits is reported in <paramref name="delay"/>.</summary>
    public bool IsInBackOff(string key, DateTimeOffset now, out TimeSpan delay)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && now - entry.LastFailure < entry.Delay)
            {
                delay = entry.Delay;
                return true;
            }

            delay = TimeSpan.Zero;
            return false;
        }
    }

    /// <summary>Records a failed pull at <paramref name="now"/>.</summary>
    public void Failed(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            var delay = _entries.TryGetValue(key, out var entry) && now - entry.LastFailure <= 2 * Maximum
                ? TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, Maximum.Ticks))
                : Initial;
            _entries[key] = (delay, now);
        }
    }

    /// <summary>Forgets entries idle for longer than twice the maximum, as the kubelet does after each successful pull.</summary>
    public void Collect(DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Where(e => now - e.Value.LastFailure > 2 * Maximum).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }
}
