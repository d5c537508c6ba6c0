namespace Gantry.Core.Cel;

/// <summary>
/// A comprehension macro over a list's elements or a map's keys. <c>all</c> and <c>exists</c> absorb errors as
/// <c>&amp;&amp;</c> and <c>||</c> do (one false, respectively one true, decides); the others propagate them.
/// Each iteration counts against the step budget.
/// </summary>
internal sealed class ComprehensionNode(int position, MacroKind kind, Node range, string variable, Node? predicate, Node? transform)
    : Node(position, DepthOf(range, predicate, transform))
{
    private Node _range = range;
    private Node? _predicate = predicate;
    private Node? _transform = transform;

    public override object? Eval(Activation activation)
    {
        var range = _range.Eval(activation);
        IEnumerable<object?> items = range switch
        {
            CelList list => list,
            CelMap map => map.Keys.Cast<object?>(),
            _ => throw CelErrors.NoSuchOverload(Name, range),
        };
        activation.PushLocal(variable, null);
        try
        {
            return kind switch
            {
                MacroKind.All or MacroKind.Exists => Quantify(items, activation, kind == MacroKind.Exists),
                MacroKind.ExistsOne => ExistsOne(items, activation),
                _ => Collect(items, activation),
            };
        }
        finally
        {
            activation.PopLocal();
        }
    }

    private string Name => kind switch
    {
        MacroKind.All => "all",
        MacroKind.Exists => "exists",
        MacroKind.ExistsOne => "exists_one",
        MacroKind.Map => "map",
        _ => "filter",
    };

    private bool Quantify(IEnumerable<object?> items, Activation activation, bool decisive)
    {
        CelEvaluationException? error = null;
        foreach (var item in items)
        {
            activation.Step();
            activation.SetLocal(item);
            var (value, e) = LogicNode.Try(_predicate!, activation);
            if (value is bool b)
            {
                if (b == decisive)
                {
                    return decisive;
                }
            }
            else
            {
                error ??= e ?? CelErrors.NoSuchOverload(Name, value);
            }
        }
        return error is null ? !decisive : throw error;
    }

    private bool ExistsOne(IEnumerable<object?> items, Activation activation)
    {
        var count = 0;
        foreach (var item in items)
        {
            activation.Step();
            activation.SetLocal(item);
            count += _predicate!.Eval(activation) switch
            {
                true => 1,
                false => 0,
                var other => throw CelErrors.NoSuchOverload(Name, other),
            };
        }
        return count == 1;
    }

    private CelList Collect(IEnumerable<object?> items, Activation activation)
    {
        var result = new List<object?>();
        foreach (var item in items)
        {
            activation.Step();
            activation.SetLocal(item);
            if (_predicate is not null)
            {
                switch (_predicate.Eval(activation))
                {
                    case false:
                        continue;
                    case not true and var other:
                        throw CelErrors.NoSuchOverload(Name, other);
                }
            }
            result.Add(_transform is null ? item : _transform.Eval(activation));
        }
        return new CelList(result);
    }

    public override Node Bind(Binder binder)
    {
        _range = _range.Bind(binder);
        binder.PushLocal(variable);
        _predicate = _predicate?.Bind(binder);
        _transform = _transform?.Bind(binder);
        binder.PopLocal();
        return this;
    }
}
