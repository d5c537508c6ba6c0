namespace Gantry.Server.Storage;

/// <summary>
/// A value read from the cached objects under one key prefix, read again only after one of them changed: a reader pays
/// one lock-free revision check, and a reader after a change sees it. <paramref name="read"/> runs under a lock, one at
/// a time, so it may keep state of its own between readings.
/// </summary>
public sealed class BucketReading<T>(WatchCache cache, string prefix, Func<T> read)
{
    private readonly Lock _gate = new();
    private volatile Reading? _current;

    public T Current
    {
        get
        {
            // Read before the objects: a change made meanwhile moves it on, and the next reader reads them again.
            var revision = cache.LastChange(prefix);
            if (_current is { } current && current.Revision == revision)
            {
                return current.Value;
            }

            lock (_gate)
            {
                if (_current is { } latest && latest.Revision == revision)
                {
                    return latest.Value;
                }

                var value = read();
                _current = new Reading(revision, value);
                return value;
            }
        }
    }

    /// <summary>The value as read at a revision, swapped whole so that readers take no lock.</summary>
    private sealed record Reading(long Revision, T Value);
}
