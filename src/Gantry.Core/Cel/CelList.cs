using System.Collections;

namespace Gantry.Core.Cel;

/// <summary>An immutable CEL list.</summary>
public sealed class CelList : IReadOnlyList<object?>
{
    private readonly object?[] _items;

    public CelList(IEnumerable<object?> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToArray();
    }

    public static CelList Empty { get; } = new([]);

    public int Count => _items.Length;

    public object? this[int index] => _items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => CelValues.Format(this);
}
