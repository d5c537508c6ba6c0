namespace Gantry.Core.Cel;

/// <summary>
/// CEL's arithmetic operators. Integers are checked (overflow is an error, as cel-go's "return error for overflow");
/// int, uint and double never mix in arithmetic, only in comparisons. Arms are cast to object so that C# does not
/// give a switch over long, ulong and double the common type double.
/// </summary>
internal static class Arithmetic
{
    public static object? Add(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => (object)checked(x + y),
        (ulong x, ulong y) => (object)checked(x + y),
        (double x, double y) => (object)(x + y),
        (string x, string y) => string.Concat(x, y),
        (byte[] x, byte[] y) => (byte[])[.. x, .. y],
        (CelList x, CelList y) => new CelList(x.Concat(y)),
        (DateTimeOffset x, TimeSpan y) => ShiftTimestamp(x, y),
        (TimeSpan x, DateTimeOffset y) => ShiftTimestamp(y, x),
        (TimeSpan x, TimeSpan y) => (object)(x + y),
        _ => throw CelErrors.NoSuchOverload("_+_", a, b),
    };

    public static object? Subtract(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => (object)checked(x - y),
        (ulong x, ulong y) => (object)checked(x - y),
        (double x, double y) => (object)(x - y),
        (DateTimeOffset x, TimeSpan y) => ShiftTimestamp(x, -y),
        (DateTimeOffset x, DateTimeOffset y) => (object)(x - y),
        (TimeSpan x, TimeSpan y) => (object)(x - y),
        _ => throw CelErrors.NoSuchOverload("_-_", a, b),
    };

    public static object? Multiply(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => (object)checked(x * y),
        (ulong x, ulong y) => (object)checked(x * y),
        (double x, double y) => (object)(x * y),
        _ => throw CelErrors.NoSuchOverload("_*_", a, b),
    };

    public static object? Divide(object? a, object? b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => throw CelErrors.DivisionByZero(),
        (long.MinValue, -1L) => throw CelErrors.Overflow(),
        (long x, long y) => (object)(x / y),
        (ulong x, ulong y) => (object)(x / y),
        (double x, double y) => (object)(x / y),
        _ => throw CelErrors.NoSuchOverload("_/_", a, b),
    };

    public static object? Modulo(object? a, object? b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => throw CelErrors.ModulusByZero(),
        (long.MinValue, -1L) => throw CelErrors.Overflow(),
        (long x, long y) => (object)(x % y),
        (ulong x, ulong y) => (object)(x % y),
        _ => throw CelErrors.NoSuchOverload("_%_", a, b),
    };

    public static object? Negate(object? a) => a switch
    {
        long x => (object)checked(-x),
        double x => (object)-x,
        _ => throw CelErrors.NoSuchOverload("-_", a),
    };

    private static DateTimeOffset ShiftTimestamp(DateTimeOffset t, TimeSpan d)
    {
        try
        {
            return t.Add(d);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new CelEvaluationException("timestamp overflow");
        }
    }
}
