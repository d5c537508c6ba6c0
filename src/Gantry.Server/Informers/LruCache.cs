namespace Gantry.Server.Informers;

/// <summary>
/// A map that holds at most <c>capacity</c> entries and forgets the least recently used one to make room, as the
/// groupcache LRU that client-go's event correlator keeps its state in. Not thread-safe.
/// </summary>
public sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            node.Value = (key, value);
            _recency.AddFirst(node);
            return;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Remove(_recency.Last!.Value.Key);
            _recency.RemoveLast();
        }

        _entries[key] = _recency.AddFirst((key, value));
    }
}
