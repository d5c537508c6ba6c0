namespace Gantry.Core.Cel;

/// <summary>The operators, registered under cel-go's internal names (<c>_+_</c>, <c>@in</c>, <c>!_</c>).</summary>
internal static class OperatorFunctions
{
    public static void Register(FunctionRegistry r)
    {
        r.Global("_+_", 2, a => Arithmetic.Add(a[0], a[1]));
        r.Global("_-_", 2, a => Arithmetic.Subtract(a[0], a[1]));
        r.Global("_*_", 2, a => Arithmetic.Multiply(a[0], a[1]));
        r.Global("_/_", 2, a => Arithmetic.Divide(a[0], a[1]));
        r.Global("_%_", 2, a => Arithmetic.Modulo(a[0], a[1]));
        r.Global("-_", 1, a => Arithmetic.Negate(a[0]));
        r.Global("!_", 1, a => a[0] is bool b ? !b : throw CelErrors.NoSuchOverload("!_", a));
        r.Global("_==_", 2, a => Comparison.Equal(a[0], a[1]));
        r.Global("_!=_", 2, a => !Comparison.Equal(a[0], a[1]));
        r.Global("_<_", 2, a => Comparison.Compare("_<_", a[0], a[1]) < 0);
        r.Global("_<=_", 2, a => Comparison.Compare("_<=_", a[0], a[1]) <= 0);
        r.Global("_>_", 2, a => Comparison.Compare("_>_", a[0], a[1]) > 0);
        r.Global("_>=_", 2, a => Comparison.Compare("_>=_", a[0], a[1]) >= 0);
        r.Global("@in", 2, a => In(a[0], a[1]));
    }

    private static bool In(object? element, object? container) => container switch
    {
        CelList list => list.Any(item => Comparison.Equal(item, element)),
        CelMap map => element is not null && map.ContainsKey(element),
        _ => throw CelErrors.NoSuchOverload("@in", element, container),
    };
}
