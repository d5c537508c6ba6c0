namespace Gantry.Core.Cel;

/// <summary>
/// A function or operator call, <c>f(x)</c> or <c>x.f(y)</c>; operators use internal names such as <c>_+_</c>. The
/// implementation is looked up once, at bind time.
/// </summary>
internal sealed class CallNode(int position, string function, Node? target, IReadOnlyList<Node> args)
    : Node(position, DepthOf([target, .. args]))
{
    private readonly Node?[] _children = [target, .. args];
    private Func<object?[], object?>? _implementation;

    public string Function { get; } = function;

    public Node? Target => _children[0];

    public IReadOnlyList<Node> Args => _children.Skip(1).Select(n => n!).ToList();

    public override object? Eval(Activation activation)
    {
        var offset = _children[0] is null ? 1 : 0;
        var values = new object?[_children.Length - offset];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _children[i + offset]!.Eval(activation);
        }
        try
        {
            return _implementation!(values);
        }
        catch (OverflowException)
        {
            throw CelErrors.Overflow();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or IndexOutOfRangeException)
        {
            throw new CelEvaluationException($"{Function}: {e.Message}", e);
        }
    }

    public override Node Bind(Binder binder)
    {
        _implementation = binder.BindFunction(Function, _children[0] is not null, _children.Length - 1, Position);
        for (var i = 0; i < _children.Length; i++)
        {
            _children[i] = _children[i]?.Bind(binder);
        }
        RegexFunctions.CheckConstantPattern(this, binder);
        return this;
    }
}
