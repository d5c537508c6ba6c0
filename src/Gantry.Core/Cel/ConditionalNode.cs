namespace Gantry.Core.Cel;

/// <summary><c>c ? a : b</c>, which evaluates only the branch chosen.</summary>
internal sealed class ConditionalNode(int position, Node condition, Node whenTrue, Node whenFalse)
    : Node(position, DepthOf(condition, whenTrue, whenFalse))
{
    private Node _condition = condition;
    private Node _whenTrue = whenTrue;
    private Node _whenFalse = whenFalse;

    public override object? Eval(Activation activation) => _condition.Eval(activation) switch
    {
        true => _whenTrue.Eval(activation),
        false => _whenFalse.Eval(activation),
        var other => throw CelErrors.NoSuchOverload("_?_:_", other),
    };

    public override Node Bind(Binder binder)
    {
        _condition = _condition.Bind(binder);
        _whenTrue = _whenTrue.Bind(binder);
        _whenFalse = _whenFalse.Bind(binder);
        return this;
    }
}
