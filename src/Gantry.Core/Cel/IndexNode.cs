namespace Gantry.Core.Cel;

/// <summary><c>a[i]</c>: a list element by integer index or a map value by key.</summary>
internal sealed class IndexNode(int position, Node operand, Node index) : Node(position, DepthOf(operand, index))
{
    private Node _operand = operand;
    private Node _index = index;

    public override object? Eval(Activation activation)
    {
        var target = _operand.Eval(activation);
        var key = _index.Eval(activation);
        return Get(target, key);
    }

    public static object? Get(object? target, object? key)
    {
        switch (target)
        {
            case CelList list:
                long i = key switch
                {
                    long l => l,
                    ulong u => u > long.MaxValue ? long.MaxValue : (long)u,
                    double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => (long)d,
                    _ => throw CelErrors.NoSuchOverload("_[_]", target, key),
                };
                return i >= 0 && i < list.Count ? list[(int)i] : throw CelErrors.IndexOutOfRange(i);
            case CelMap map:
                if (key is not (string or long or ulong or bool or double))
                {
                    throw CelErrors.NoSuchOverload("_[_]", target, key);
                }
                return map.TryGetValue(key, out var value) ? value : throw CelErrors.NoSuchKey(key);
            default:
                throw CelErrors.NoSuchOverload("_[_]", target, key);
        }
    }

    public override Node Bind(Binder binder)
    {
        _operand = _operand.Bind(binder);
        _index = _index.Bind(binder);
        return this;
    }
}
