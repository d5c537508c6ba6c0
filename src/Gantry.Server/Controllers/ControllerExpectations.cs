using System.Collections.Concurrent;

namespace Gantry.Server.Controllers;

/// <summary>
/// What a controller has asked for and not yet seen in its informer, as Kubernetes'
/// <c>UIDTrackingControllerExpectations</c>: while creations or deletions are outstanding, a sync
/// must not act on the informer's (stale) count, or it would create or delete twice. Expectations
/// expire after five minutes so that a lost watch event cannot wedge a controller forever.
/// </summary>
public sealed class ControllerExpectations(TimeProvider time)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>True when nothing is outstanding for the key (or what was expected is long overdue).</summary>
    public bool Satisfied(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return true;
        }

        lock (entry)
        {
            return (entry.Creations <= 0 && entry.Deletions.Count == 0) || time.GetUtcNow() - entry.SetAt > Timeout;
        }
    }

    public void ExpectCreations(string key, int count) => Set(key, count, []);

    public void ExpectDeletions(string key, IEnumerable<string> podKeys) => Set(key, 0, podKeys);

    /// <summary>One expected creation was seen, or will never happen because it failed.</summary>
    public void CreationObserved(string key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            lock (entry)
            {
                entry.Creations--;
            }
        }
    }

    public void DeletionObserved(string key, string podKey)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            lock (entry)
            {
                entry.Deletions.Remove(podKey);
            }
        }
    }

    public void Forget(string key) => _entries.TryRemove(key, out _);

    private void Set(string key, int creations, IEnumerable<string> deletions)
    {
        var entry = new Entry { Creations = creations, SetAt = time.GetUtcNow() };
        entry.Deletions.UnionWith(deletions);
        _entries[key] = entry;
    }

    private sealed class Entry
    {
        public int Creations { get; set; }

        public HashSet<string> Deletions { get; } = [];

        public DateTimeOffset SetAt { get; init; }
    }
}
