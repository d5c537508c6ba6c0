namespace Gantry.Core.Cel;

/// <summary>A variable: one the caller declared, or a comprehension variable.</summary>
internal sealed class IdentNode(int position, string name) : Node(position, 1)
{
    public string Name { get; } = name;

    public override object? Eval(Activation activation) => activation.Resolve(Name);

    public override Node Bind(Binder binder) => binder.BindIdent(this);
}
