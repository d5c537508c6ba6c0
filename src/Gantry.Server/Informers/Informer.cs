using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using k8s;
using WatchEventType = Gantry.Server.Storage.WatchEventType;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Informers;

/// <summary>
/// A typed, always-current copy of one resource kind inside the server, fed by the watch cache with
/// no HTTP hop: what client-go's shared informer is to controllers. Handlers see every change in
/// revision order as (old, new) pairs: old is null for an addition, new is null for a deletion.
/// Handlers run on the informer's loop and must be quick (enqueue a key, update a snapshot).
/// </summary>
public sealed class Informer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly WatchCache _cache;
    private readonly ResourceType _type;
    private readonly WatchFilter _filter;
    private readonly ILogger _logger;
    private readonly Dictionary<string, T> _objects = [];
    private readonly InformerIndex<T> _byNamespace = new(o => o.Namespace() ?? "");
    private readonly Dictionary<string, InformerIndex<T>> _indexes = new(StringComparer.Ordinal);
    private readonly List<Action<T?, T?>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    public Informer(WatchCache cache, ResourceType type, ILogger logger, WatchFilter? filter = null)
    {
        _cache = cache;
        _type = type;
        _filter = filter ?? new WatchFilter(type.KeyPrefix);
        _logger = logger;
    }

    public ResourceType Type => _type;

    /// <summary>Completes once the objects that existed when the informer started have all been seen.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>, so that it sees every object.</summary>
    public void OnChange(Action<T?, T?> handler)
    {
        lock (_gate)
        {
            _handlers.Add(handler);
        }
    }

    public T? Get(string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault(_type.Key(ns, name));
        }
    }

    public List<T> List(Func<T, bool>? predicate = null)
    {
        lock (_gate)
        {
            return predicate is null ? [.. _objects.Values] : [.. _objects.Values.Where(predicate)];
        }
    }

    public List<T> ListInNamespace(string ns)
    {
        lock (_gate)
        {
            return _byNamespace.List(ns);
        }
    }

    /// <summary>
    /// Keeps the objects grouped by <paramref name="valueOf"/> under <paramref name="name"/> (client-go's
    /// <c>AddIndexers</c>), for <see cref="ListByIndex"/>. Adding a name twice keeps the first; an index added after the
    /// informer started is built from the objects it holds.
    /// </summary>
    public void AddIndex(string name, Func<T, string?> valueOf)
    {
        lock (_gate)
        {
            if (_indexes.ContainsKey(name))
            {
                return;
            }

            var index = new InformerIndex<T>(valueOf);
            foreach (var (key, obj) in _objects)
            {
                index.Put(key, null, obj);
            }

            _indexes[name] = index;
        }
    }

    /// <summary>The objects whose value in the index <paramref name="name"/> is <paramref name="value"/> (client-go's <c>ByIndex</c>).</summary>
    public List<T> ListByIndex(string name, string value)
    {
        lock (_gate)
        {
            return _indexes[name].List(value);
        }
    }

    /// <summary>Follows the cache until cancelled; re-lists when the watch falls out of the cache's window.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long? from = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            ChannelReader<WatchEvent> events;
            try
            {
                events = _cache.Watch(_type.KeyPrefix, _filter, from, bookmarks: false, initialEventsEndBookmark: from is null, cancellationToken);
            }
            catch (RevisionCompactedException)
            {
                from = null;
                continue;
            }

            var relist = from is null ? new HashSet<string>() : null;
            try
            {
                await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    from = Math.Max(from ?? 0, e.Revision);
                    if (e.Type == WatchEventType.Bookmark)
                    {
                        if (e.InitialEventsEnd && relist is not null)
                        {
                            RemoveAbsent(relist);
                            relist = null;
                            _synced.TrySetResult();
                        }

                        continue;
                    }

                    if (e.Object is { } obj)
                    {
                        relist?.Add(obj.Key);
                        Apply(e.Type, obj);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _logger.LogDebug("Informer for {Resource} lost its watch at revision {Revision}; resuming", _type.QualifiedPlural, from);
        }
    }

    private void Apply(WatchEventType type, CachedObject cached)
    {
        var value = JsonSerializer.Deserialize<T>(cached.Json, KubernetesJsonOptions.WithoutManagedFields)!;
        value.Metadata.ResourceVersion = cached.ModRevision.ToString(CultureInfo.InvariantCulture);
        T? old;
        List<Action<T?, T?>> handlers;
        lock (_gate)
        {
            old = _objects.GetValueOrDefault(cached.Key);
            if (type == WatchEventType.Deleted)
            {
                _objects.Remove(cached.Key);
                if (old is not null)
                {
                    Unindex(cached.Key, old);
                }
            }
            else
            {
                _objects[cached.Key] = value;
                _byNamespace.Put(cached.Key, old, value);
                foreach (var index in _indexes.Values)
                {
                    index.Put(cached.Key, old, value);
                }
            }

            handlers = _handlers;
        }

        Notify(handlers, old, type == WatchEventType.Deleted ? null : value);
    }

    /// <summary>After a re-list, objects that disappeared while the watch was lost are deletions.</summary>
    private void RemoveAbsent(HashSet<string> present)
    {
        List<T> gone;
        List<Action<T?, T?>> handlers;
        lock (_gate)
        {
            gone = [.. _objects.Where(kv => !present.Contains(kv.Key)).Select(kv => kv.Value)];
            foreach (var key in _objects.Keys.Where(k => !present.Contains(k)).ToList())
            {
                Unindex(key, _objects[key]);
                _objects.Remove(key);
            }

            handlers = _handlers;
        }

        foreach (var obj in gone)
        {
            Notify(handlers, obj, null);
        }
    }

    private void Unindex(string key, T obj)
    {
        _byNamespace.Remove(key, obj);
        foreach (var index in _indexes.Values)
        {
            index.Remove(key, obj);
        }
    }

    private void Notify(List<Action<T?, T?>> handlers, T? old, T? current)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(old, current);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "An informer handler for {Resource} failed", _type.QualifiedPlural);
            }
        }
    }
}
