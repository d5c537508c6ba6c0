using System.Collections;

namespace Gantry.Core.Cel;

/// <summary>An immutable CEL list.</summary>
public sealed class CelList : IReadOnlyList<object?>
{
    private readonly object?[] _items;

    /// <param name="unordered">
    /// Whether the list's order carries no meaning (kube's <c>x-kubernetes-list-type</c> <c>set</c> and <c>map</c>):
    /// such a list equals another with the same items in any order.
    /// </param>
    public CelList(IEnumerable<object?> items, bool unordered = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToArray();
        IsUnordered = unordered;
    }

    /// <summary>Whether the list equals another of the same items in any order.</summary>
    public bool IsUnordered { get; }

    public static CelList Empty { get; } = new([]);

    public int Count => _items.Length;

    public object? this[int index] => _items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => CelValues.Format(this);
}
