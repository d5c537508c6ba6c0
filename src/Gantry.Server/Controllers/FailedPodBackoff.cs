using System.Collections.Concurrent;

namespace Gantry.Server.Controllers;

/// <summary>
/// client-go's <c>flowcontrol.Backoff</c> as the DaemonSet controller uses it for failed daemon pods (1 s doubling to
/// 15 min): a node whose kubelet keeps rejecting the pod must not be fought in a hot loop. An entry idle for twice the
/// cap starts over.
/// </summary>
public sealed class FailedPodBackoff(TimeProvider time)
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (TimeSpan Delay, DateTimeOffset LastUpdate)> _entries = new();

    /// <summary>The delay still to wait when the key was bumped less than its delay ago (<c>IsInBackOffSinceUpdate</c>), else null.</summary>
    public TimeSpan? Remaining(string key)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(key, out var entry) && now - entry.LastUpdate < entry.Delay ? entry.Delay : null;
    }

    /// <summary>Starts the back-off for the key, or doubles it (<c>Next</c>).</summary>
    public void Next(string key)
    {
        var now = time.GetUtcNow();
        _entries.AddOrUpdate(
            key,
            _ => (Initial, now),
            (_, entry) => now - entry.LastUpdate > 2 * Max ? (Initial, now) : (TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, Max.Ticks)), now));
    }
}
