namespace Gantry.Core.Cel;

/// <summary>
/// What an expression may name: its variables, and for those whose fields are declared (a ValidatingAdmissionPolicy's
/// <c>variables</c>, an object type built one field at a time), the fields it may select on them; selecting another is
/// a compile error, as cel-go's type checker makes it.
/// </summary>
public sealed record CelEnvironment(IReadOnlyCollection<string> Variables, IReadOnlyDictionary<string, IReadOnlyCollection<string>>? Fields = null);
