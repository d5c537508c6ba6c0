namespace Gantry.Core.Cel;

/// <summary>The comprehension macros: <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c> (2 or 3 arguments) and <c>filter</c>.</summary>
internal enum MacroKind
{
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}
