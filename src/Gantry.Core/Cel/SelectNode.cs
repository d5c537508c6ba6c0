namespace Gantry.Core.Cel;

/// <summary>
/// <c>a.b</c>, the lookup of key <c>b</c> in map <c>a</c>; with <see cref="TestOnly"/>, <c>has(a.b)</c>, whether the
/// key is present. Kubernetes escapes property names that are not CEL identifiers (<c>__dash__</c>, <c>__namespace__</c>),
/// so a name absent as written is looked up again unescaped.
/// </summary>
internal sealed class SelectNode(int position, Node operand, string field, bool testOnly) : Node(position, DepthOf(operand))
{
    private readonly string? _unescaped = PropertyNames.Unescape(field);
    private Node _operand = operand;

    public Node Operand => _operand;

    public string Field { get; } = field;

    public bool TestOnly { get; } = testOnly;

    public override object? Eval(Activation activation)
    {
        var target = _operand.Eval(activation);
        if (target is not CelMap map)
        {
            throw new CelEvaluationException($"type '{CelType.Of(target).Name}' does not support field selection");
        }
        var found = map.TryGetValue(Field, out var value) || _unescaped is not null && map.TryGetValue(_unescaped, out value);
        if (TestOnly)
        {
            return found;
        }
        return found ? value : throw CelErrors.NoSuchKey(Field);
    }

    public override Node Bind(Binder binder)
    {
        if (_operand is IdentNode ident && binder.FieldsOf(ident.Name) is { } fields && !fields.Contains(Field))
        {
            throw binder.Error(Position, $"undefined field '{Field}'");
        }

        _operand = _operand.Bind(binder);
        return this;
    }
}
