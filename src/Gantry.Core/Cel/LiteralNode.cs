namespace Gantry.Core.Cel;

/// <summary>A constant: a literal, or a type name such as <c>int</c>.</summary>
internal sealed class LiteralNode(int position, object? value) : Node(position, 1)
{
    public object? Value { get; } = value;

    public override object? Eval(Activation activation) => Value is byte[] bytes ? bytes.Clone() : Value;

    public override Node Bind(Binder binder) => this;
}
