namespace Gantry.Core.Cel;

/// <summary>A map literal <c>{k: v}</c>; a repeated key or a key of another type than string, int, uint or bool is an error.</summary>
internal sealed class MapNode(int position, IReadOnlyList<(Node Key, Node Value)> entries)
    : Node(position, DepthOf([null, .. entries.SelectMany(e => new[] { e.Key, e.Value })]))
{
    private readonly (Node Key, Node Value)[] _entries = [.. entries];

    public override object? Eval(Activation activation)
    {
        var pairs = new List<KeyValuePair<object, object?>>(_entries.Length);
        foreach (var (keyNode, valueNode) in _entries)
        {
            var key = keyNode.Eval(activation);
            if (key is not (string or long or ulong or bool))
            {
                throw new CelEvaluationException($"unsupported key type: {CelType.Of(key).Name}");
            }
            pairs.Add(new(key, valueNode.Eval(activation)));
        }
        try
        {
            return new CelMap(pairs);
        }
        catch (ArgumentException e)
        {
            throw new CelEvaluationException(e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    public override Node Bind(Binder binder)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i] = (_entries[i].Key.Bind(binder), _entries[i].Value.Bind(binder));
        }
        return this;
    }
}
