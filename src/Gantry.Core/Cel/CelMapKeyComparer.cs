namespace Gantry.Core.Cel;

/// <summary>
/// Map keys compare as CEL compares them: <c>1</c>, <c>1u</c> and an integral <c>1.0</c> are the same key, so a
/// lookup does not depend on which numeric kind the key was written with.
/// </summary>
internal sealed class CelMapKeyComparer : IEqualityComparer<object>
{
    public static readonly CelMapKeyComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (IsNumber(x) && IsNumber(y))
        {
            return Comparison.CompareNumbers(x!, y!) == 0;
        }
        return x is not null && x.Equals(y);
    }

    public int GetHashCode(object obj) => obj switch
    {
        long l => l.GetHashCode(),
        ulong u when u <= long.MaxValue => ((long)u).GetHashCode(),
        double d when d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue => ((long)d).GetHashCode(),
        double d when d == Math.Floor(d) && d >= 0 && d < ulong.MaxValue => ((ulong)d).GetHashCode(),
        _ => obj.GetHashCode(),
    };

    private static bool IsNumber(object? value) => value is long or ulong or double;
}
