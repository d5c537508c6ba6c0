namespace Gantry.Core.Cel;

/// <summary>
/// <c>&amp;&amp;</c> and <c>||</c>, commutative over errors as CEL defines them: <c>false &amp;&amp; error</c> is false
/// and <c>true || error</c> is true whichever side the error is on; otherwise the error stands.
/// </summary>
internal sealed class LogicNode(int position, bool isOr, Node left, Node right) : Node(position, DepthOf(left, right))
{
    private Node _left = left;
    private Node _right = right;

    public override object? Eval(Activation activation)
    {
        var name = isOr ? "_||_" : "_&&_";
        var (left, leftError) = Try(_left, activation);
        if (left is bool l && l == isOr)
        {
            return isOr;
        }
        var (right, rightError) = Try(_right, activation);
        if (right is bool r && r == isOr)
        {
            return isOr;
        }
        if (leftError is not null)
        {
            throw leftError;
        }
        if (rightError is not null)
        {
            throw rightError;
        }
        return left is bool && right is bool ? !isOr : throw CelErrors.NoSuchOverload(name, left, right);
    }

    /// <summary>Evaluates a branch, capturing an ordinary error so the other branch can still decide the result.</summary>
    internal static (object? Value, CelEvaluationException? Error) Try(Node node, Activation activation)
    {
        try
        {
            return (node.Eval(activation), null);
        }
        catch (CelEvaluationException e) when (!e.IsFatal)
        {
            return (null, e);
        }
    }

    public override Node Bind(Binder binder)
    {
        _left = _left.Bind(binder);
        _right = _right.Bind(binder);
        return this;
    }
}
