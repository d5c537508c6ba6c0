using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Storage;

/// <summary>
/// The in-memory copy of the store that serves every LIST, GET and WATCH, so the store only sees
/// writes. It follows the store's event stream in revision order; a window of recent events lets
/// watches start from a past revision (older ones get 410 Gone, as with the Kubernetes watch cache).
/// Objects are grouped into buckets (one per resource type) given by their key prefixes.
/// </summary>
public sealed class WatchCache : IAsyncDisposable
{
    private const int EventWindow = 100_000;

    private readonly IVersionedStore _store;
    private readonly ObjectIndexer _indexer;
    private readonly ILogger _logger;
    // Per bucket, the revision of its last change; never resized after construction, so read without the lock.
    private readonly Dictionary<string, StrongBox<long>> _changed = new(StringComparer.Ordinal);
    private readonly string[] _bucketPrefixes;
    private readonly Dictionary<string, CacheBucket> _buckets = [];
    private readonly Dictionary<string, List<Watcher>> _watchers = [];
    private readonly Queue<(long Revision, string Bucket, CachedObject? Old, CachedObject? New, CachedObject? Deleted)> _window = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _follow = Task.CompletedTask;
    private long _revision;
    private long _oldestReplayable;

    public WatchCache(IVersionedStore store, IEnumerable<string> bucketPrefixes, ObjectIndexer indexer, ILogger logger)
    {
        _store = store;
        _indexer = indexer;
        _logger = logger;
        _bucketPrefixes = bucketPrefixes.OrderByDescending(p => p.Length).ToArray();
        foreach (var prefix in _bucketPrefixes)
        {
            _buckets[prefix] = new CacheBucket();
            _watchers[prefix] = [];
            _changed[prefix] = new StrongBox<long>();
        }
    }

    /// <summary>The revision of the last event applied: every list served now is at least this fresh.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Completes when the cache stops following the store; faulted if it lost the stream.</summary>
    public Task Completion => _follow;

    /// <summary>Loads the current state and starts following the store.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _store.ReadRangeAsync("/", cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var item in snapshot.Items)
            {
                if (BucketOf(item.Key) is { } bucket)
                {
                    _buckets[bucket].Set(_indexer(item.Key, item.Value, item.CreateRevision, item.ModRevision, null));
                }
            }

            _revision = snapshot.Revision;
            _oldestReplayable = snapshot.Revision;
            foreach (var changed in _changed.Values)
            {
                Volatile.Write(ref changed.Value, snapshot.Revision);
            }
        }

        _follow = Task.Run(() => FollowAsync(snapshot.Revision, _stopping.Token), CancellationToken.None);
    }

    private async Task FollowAsync(long fromRevision, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _store.WatchAsync(fromRevision, cancellationToken).ConfigureAwait(false))
            {
                Apply(e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "Watch cache lost the store's event stream");
            lock (_gate)
            {
                // Writers waiting to read their own write would wait forever: fail them instead.
                _advanced.TrySetException(ex);
            }

            throw;
        }
    }

    private void Apply(StoreEvent e)
    {
        TaskCompletionSource advanced;
        lock (_gate)
        {
            if (BucketOf(e.Key) is { } bucket)
            {
                var items = _buckets[bucket];
                var indexed = _indexer(e.Key, e.Value, e.CreateRevision, e.Revision, items.Get(e.Key));
                CachedObject? old, current = null, deleted = null;
                if (e.Type == StoreEventType.Put)
                {
                    current = indexed;
                    old = items.Set(current);
                }
                else
                {
                    deleted = indexed;
                    old = items.Remove(e.Key) ?? indexed;
                }

                Volatile.Write(ref _changed[bucket].Value, e.Revision);
                _window.Enqueue((e.Revision, bucket, old, current, deleted));
                if (_window.Count > EventWindow)
                {
                    _oldestReplayable = _window.Dequeue().Revision;
                }

                foreach (var watcher in _watchers[bucket])
                {
                    watcher.Deliver(old, current, deleted, e.Revision);
                }
            }

            _revision = e.Revision;
            advanced = _advanced;
            _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        advanced.TrySetResult();
    }

    /// <summary>Waits until the cache has applied <paramref name="revision"/> (read-your-writes after a commit).</summary>
    public async Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_revision >= revision)
                {
                    return;
                }

                next = _advanced.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public CachedObject? Get(string key)
    {
        lock (_gate)
        {
            return BucketOf(key) is { } bucket ? _buckets[bucket].Get(key) : null;
        }
    }

    /// <summary>How many objects the bucket holds now (the apiserver's <c>apiserver_storage_objects</c>).</summary>
    public int Count(string prefix)
    {
        lock (_gate)
        {
            if (_buckets.TryGetValue(prefix, out var objects))
            {
                return objects.Count;
            }

            return BucketOf(prefix) is { } bucket ? _buckets[bucket].Range(prefix, null).Count(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)) : 0;
        }
    }

    /// <summary>
    /// The revision of the last change to the bucket holding <paramref name="prefix"/> (the revision loaded at start if
    /// none since): what was read from it before is still current while this stays the same. Takes no lock.
    /// </summary>
    public long LastChange(string prefix) => Volatile.Read(ref _changed[BucketFor(prefix)].Value);

    /// <summary>
    /// The bucket that holds the keys under <paramref name="prefix"/>: a type's own, or the one every custom resource
    /// shares.
    /// </summary>
    private string BucketFor(string prefix) =>
        _buckets.ContainsKey(prefix) ? prefix : BucketOf(prefix) ?? throw new KeyNotFoundException($"no bucket holds {prefix}");

    /// <summary>
    /// The matching objects in key order, starting after <paramref name="continueAfterKey"/>, at most
    /// <paramref name="limit"/> (0 = all), with the revision they reflect and whether more remain.
    /// </summary>
    public (List<CachedObject> Items, long Revision, bool More) List(string prefix, WatchFilter filter, string? continueAfterKey = null, int limit = 0)
    {
        var result = new List<CachedObject>();
        lock (_gate)
        {
            foreach (var obj in _buckets[BucketFor(prefix)].Range(filter.Prefix, continueAfterKey))
            {
                if (!filter.Matches(obj))
                {
                    continue;
                }

                if (limit > 0 && result.Count == limit)
                {
                    return (result, _revision, true);
                }

                result.Add(obj);
            }

            return (result, _revision, false);
        }
    }

    /// <summary>
    /// Opens a watch. With <paramref name="fromRevision"/> null the watcher first receives the current
    /// matching objects as ADDED events (optionally closed by an initial-events-end bookmark); otherwise
    /// it receives every change after that revision. Throws <see cref="RevisionCompactedException"/>
    /// when that revision has left the cache's window.
    /// </summary>
    public ChannelReader<WatchEvent> Watch(
        string prefix, WatchFilter filter, long? fromRevision, bool bookmarks, bool initialEventsEndBookmark, CancellationToken cancellationToken)
    {
        Watcher watcher;
        lock (_gate)
        {
            var bucket = BucketFor(prefix);
            watcher = new Watcher(bucket, filter, bookmarks);
            if (fromRevision is { } from)
            {
                if (from < _oldestReplayable)
                {
                    throw new RevisionCompactedException(from, _oldestReplayable);
                }

                foreach (var (revision, eventBucket, old, current, deleted) in _window)
                {
                    if (revision > from && eventBucket == bucket)
                    {
                        watcher.Deliver(old, current, deleted, revision);
                    }
                }
            }
            else
            {
                foreach (var obj in _buckets[bucket].Range(filter.Prefix, null))
                {
                    if (filter.Matches(obj))
                    {
                        watcher.Write(new WatchEvent(WatchEventType.Added, obj, obj.ModRevision));
                    }
                }

                if (initialEventsEndBookmark)
                {
                    watcher.Write(new WatchEvent(WatchEventType.Bookmark, null, _revision, InitialEventsEnd: true));
                }
            }

            _watchers[bucket].Add(watcher);
        }

        cancellationToken.Register(() => Unregister(watcher));
        return watcher.Events;
    }

    private void Unregister(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers[watcher.Bucket].Remove(watcher);
        }

        watcher.Close();
    }

    /// <summary>Sends every bookmark-wanting watcher the current revision, so it can resume from there.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watchers in _watchers.Values)
            {
                foreach (var watcher in watchers)
                {
                    if (watcher.WantsBookmarks)
                    {
                        watcher.Write(new WatchEvent(WatchEventType.Bookmark, null, _revision));
                    }
                }
            }
        }
    }

    private string? BucketOf(string key)
    {
        foreach (var prefix in _bucketPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _follow.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled, or the failure FollowAsync already logged: nothing is left to report on the way out.
        }

        lock (_gate)
        {
            foreach (var watcher in _watchers.Values.SelectMany(w => w))
            {
                watcher.Close();
            }
        }

        _stopping.Dispose();
    }
}
