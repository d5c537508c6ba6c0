using System.Threading.Channels;

namespace Gantry.Server.Storage;

/// <summary>One open watch on the cache: its filter and the queue its HTTP stream drains.</summary>
internal sealed class Watcher(string bucket, WatchFilter filter, bool bookmarks)
{
    /// <summary>A client this far behind is cut off (it re-lists), rather than growing memory forever.</summary>
    private const int MaxBacklog = 200_000;

    // Not single-reader: only the general unbounded channel can report its backlog (Count).
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();

    public string Bucket { get; } = bucket;

    public bool WantsBookmarks { get; } = bookmarks;

    public ChannelReader<WatchEvent> Events => _events.Reader;

    /// <summary>
    /// Delivers the change of one object as this watcher sees it through its filter. For a deletion
    /// <paramref name="current"/> is null and <paramref name="deleted"/> is the object's last state at
    /// the deletion's revision; an object that merely stops matching is reported deleted in its new state.
    /// </summary>
    public void Deliver(CachedObject? old, CachedObject? current, CachedObject? deleted, long revision)
    {
        var wasIn = old is not null && filter.Matches(old);
        var isIn = current is not null && filter.Matches(current);
        var type = (wasIn, isIn) switch
        {
            (false, true) => WatchEventType.Added,
            (true, true) => WatchEventType.Modified,
            (true, false) => WatchEventType.Deleted,
            _ => (WatchEventType?)null,
        };
        if (type is { } t)
        {
            Write(new WatchEvent(t, t == WatchEventType.Deleted ? current ?? deleted! : current!, revision));
        }
    }

    public void Write(WatchEvent e)
    {
        if (_events.Reader.Count > MaxBacklog)
        {
            _events.Writer.TryComplete(new WatcherTooSlowException());
            return;
        }

        _events.Writer.TryWrite(e);
    }

    public void Close() => _events.Writer.TryComplete();
}

/// <summary>The watcher fell so far behind that its stream is ended; the client re-lists.</summary>
public sealed class WatcherTooSlowException() : Exception("watcher is too slow to keep up with the event stream");
