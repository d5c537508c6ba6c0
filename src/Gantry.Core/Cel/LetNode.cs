namespace Gantry.Core.Cel;

/// <summary><c>cel.bind(name, init, body)</c>: evaluates <c>body</c> with <c>name</c> bound to <c>init</c>.</summary>
internal sealed class LetNode(int position, string variable, Node init, Node body) : Node(position, DepthOf(init, body))
{
    private Node _init = init;
    private Node _body = body;

    public override object? Eval(Activation activation)
    {
        activation.PushLocal(variable, _init.Eval(activation));
        try
        {
            return _body.Eval(activation);
        }
        finally
        {
            activation.PopLocal();
        }
    }

    public override Node Bind(Binder binder)
    {
        _init = _init.Bind(binder);
        binder.PushLocal(variable);
        _body = _body.Bind(binder);
        binder.PopLocal();
        return this;
    }
}
