using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Gantry.Core.Cel;

/// <summary>
/// An immutable CEL map. Keys are string, long, ulong or bool; numeric keys compare across int and uint. Iteration
/// keeps insertion order so that macros over maps are deterministic.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "The name is the public API the integrator codes against; CEL calls it a map.")]
public sealed class CelMap : IReadOnlyDictionary<object, object?>
{
    private readonly Dictionary<object, object?> _index;
    private readonly List<object> _order;

    /// <exception cref="ArgumentException">A key repeats or is not a string, long, ulong or bool.</exception>
    public CelMap(IEnumerable<KeyValuePair<object, object?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _index = new Dictionary<object, object?>(CelMapKeyComparer.Instance);
        _order = [];
        foreach (var (key, value) in entries)
        {
            if (key is not (string or long or ulong or bool))
            {
                throw new ArgumentException($"unsupported map key type: {CelType.Of(key).Name}", nameof(entries));
            }
            if (!_index.TryAdd(key, value))
            {
                throw new ArgumentException($"Failed with repeated key: {CelValues.Format(key)}", nameof(entries));
            }
            _order.Add(key);
        }
    }

    public static CelMap Empty { get; } = new([]);

    public int Count => _order.Count;

    public IEnumerable<object> Keys => _order;

    public IEnumerable<object?> Values => _order.Select(k => _index[k]);

    public object? this[object key] => _index[key];

    public bool ContainsKey(object key) => IsKeyType(key) && _index.ContainsKey(key);

    public bool TryGetValue(object key, [MaybeNullWhen(false)] out object? value)
    {
        if (!IsKeyType(key))
        {
            value = null;
            return false;
        }
        return _index.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<object, object?>(k, _index[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => CelValues.Format(this);

    // A double may look up an integral key; anything else (a list, null) can never be a key.
    private static bool IsKeyType(object key) => key is string or long or ulong or bool or double;
}
