namespace Gantry.Server.Storage;

/// <summary>
/// The objects of one resource type in the watch cache, by key and in key order, so that a list of
/// one namespace (or the next page of a list) visits only its own key range, not the whole type.
/// Not thread-safe: the cache's lock guards it.
/// </summary>
internal sealed class CacheBucket
{
    private readonly Dictionary<string, CachedObject> _objects = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    public CachedObject? Get(string key) => _objects.GetValueOrDefault(key);

    /// <summary>Stores the object; returns the one it replaces, if any.</summary>
    public CachedObject? Set(CachedObject obj)
    {
        _objects.TryGetValue(obj.Key, out var old);
        _objects[obj.Key] = obj;
        _keys.Add(obj.Key);
        return old;
    }

    public CachedObject? Remove(string key)
    {
        _keys.Remove(key);
        return _objects.Remove(key, out var old) ? old : null;
    }

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in key order, after <paramref name="afterKey"/> if given.</summary>
    public IEnumerable<CachedObject> Range(string prefix, string? afterKey)
    {
        var lower = afterKey is not null && string.CompareOrdinal(afterKey, prefix) >= 0 ? afterKey + '\0' : prefix;
        var upper = prefix + char.MaxValue;
        if (string.CompareOrdinal(lower, upper) > 0)
        {
            return [];
        }

        return _keys.GetViewBetween(lower, upper).Select(key => _objects[key]);
    }
}
