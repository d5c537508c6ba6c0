namespace Gantry.Core.Cel;

/// <summary>A list literal <c>[a, b]</c>.</summary>
internal sealed class ListNode(int position, IReadOnlyList<Node> elements) : Node(position, DepthOf([null, .. elements]))
{
    private readonly Node[] _elements = [.. elements];

    public override object? Eval(Activation activation) => new CelList(_elements.Select(e => e.Eval(activation)));

    public override Node Bind(Binder binder)
    {
        for (var i = 0; i < _elements.Length; i++)
        {
            _elements[i] = _elements[i].Bind(binder);
        }
        return this;
    }
}
