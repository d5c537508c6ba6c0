namespace Gantry.Core.Cel;

/// <summary>
/// The functions this engine implements, by name, call style (global <c>f(x)</c> or receiver <c>x.f()</c>) and
/// number of arguments. A name absent here is unsupported; a name present with another arity is a compile error.
/// Implementations take the receiver first, then the arguments, and dispatch on the runtime values.
/// </summary>
internal sealed class FunctionRegistry
{
    private readonly Dictionary<string, Dictionary<(bool Member, int Arity), Func<object?[], object?>>> _functions =
        new(StringComparer.Ordinal);

    public static FunctionRegistry Standard { get; } = Create();

    private static FunctionRegistry Create()
    {
        var registry = new FunctionRegistry();
        OperatorFunctions.Register(registry);
        ConversionFunctions.Register(registry);
        StringFunctions.Register(registry);
        TimeFunctions.Register(registry);
        ListFunctions.Register(registry);
        RegexFunctions.Register(registry);
        UrlFunctions.Register(registry);
        return registry;
    }

    public bool HasName(string name) => _functions.ContainsKey(name);

    public Func<object?[], object?>? Find(string name, bool member, int arity) =>
        _functions.TryGetValue(name, out var overloads) && overloads.TryGetValue((member, arity), out var f) ? f : null;

    /// <summary>Registers <c>name(a1..an)</c>.</summary>
    public void Global(string name, int arity, Func<object?[], object?> implementation) => Add(name, false, arity, implementation);

    /// <summary>Registers <c>receiver.name(a1..an)</c>; the implementation sees the receiver as its first argument.</summary>
    public void Member(string name, int arity, Func<object?[], object?> implementation) => Add(name, true, arity, implementation);

    /// <summary>Registers both <c>name(x, a1..an)</c> and <c>x.name(a1..an)</c>.</summary>
    public void Both(string name, int arity, Func<object?[], object?> implementation)
    {
        Add(name, false, arity + 1, implementation);
        Add(name, true, arity, implementation);
    }

    private void Add(string name, bool member, int arity, Func<object?[], object?> implementation)
    {
        if (!_functions.TryGetValue(name, out var overloads))
        {
            _functions[name] = overloads = [];
        }
        // Names shared by two libraries (indexOf on strings and on lists) dispatch on the receiver in one implementation.
        if (!overloads.TryAdd((member, arity), implementation))
        {
            throw new InvalidOperationException($"{name} registered twice");
        }
    }
}
