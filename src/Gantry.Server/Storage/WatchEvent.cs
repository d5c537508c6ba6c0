namespace Gantry.Server.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>
/// An event as one watcher sees it, after its filter: an object that stops matching the filter is
/// reported as <see cref="WatchEventType.Deleted"/>, one that starts matching as <see cref="WatchEventType.Added"/>.
/// For bookmarks <see cref="Object"/> is null and <see cref="Revision"/> is the revision reached.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, CachedObject? Object, long Revision, bool InitialEventsEnd = false);
