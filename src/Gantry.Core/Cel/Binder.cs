namespace Gantry.Core.Cel;

/// <summary>
/// The compile-time check: every identifier must be a declared variable, a comprehension variable in scope or a type
/// name; every function must be one this engine implements, with a supported number of arguments.
/// </summary>
internal sealed class Binder(string source, IReadOnlyCollection<string> declared, IReadOnlyDictionary<string, IReadOnlyCollection<string>>? fields = null)
{
    private readonly HashSet<string> _declared = new(declared, StringComparer.Ordinal);
    private readonly List<string> _locals = [];

    public HashSet<string> Referenced { get; } = new(StringComparer.Ordinal);

    public Node BindIdent(IdentNode node)
    {
        if (_locals.Contains(node.Name))
        {
            return node;
        }
        if (_declared.Contains(node.Name))
        {
            Referenced.Add(node.Name);
            return node;
        }
        if (CelType.TryGetByName(node.Name, out var type))
        {
            return new LiteralNode(node.Position, type);
        }
        throw new CelCompileException(SourceErrors.Format(source, node.Position, $"undeclared reference to '{node.Name}' (in container '')"));
    }

    public Func<object?[], object?> BindFunction(string name, bool member, int argumentCount, int position)
    {
        var registry = FunctionRegistry.Standard;
        if (!registry.HasName(name))
        {
            throw SourceErrors.Unsupported(source, position, $"function '{name}' is not supported by this CEL engine");
        }
        return registry.Find(name, member, argumentCount)
            ?? throw new CelCompileException(SourceErrors.Format(source, position,
                $"found no matching overload for '{name}' applied to {(member ? "a receiver and " : "")}{argumentCount} argument(s)"));
    }

    /// <summary>The fields that may be selected on <paramref name="name"/>; null where any may (a local of that name hides the variable).</summary>
    public IReadOnlyCollection<string>? FieldsOf(string name) =>
        _locals.Contains(name) || fields is null || !fields.TryGetValue(name, out var known) ? null : known;

    public CelCompileException Error(int position, string message) => new(SourceErrors.Format(source, position, message));

    public void PushLocal(string name) => _locals.Add(name);

    public void PopLocal() => _locals.RemoveAt(_locals.Count - 1);
}
