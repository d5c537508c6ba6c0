using System.Globalization;
using System.Text;

namespace Gantry.Core.Cel;

/// <summary>The type conversions: <c>int</c>, <c>uint</c>, <c>double</c>, <c>string</c>, <c>bytes</c>, <c>bool</c>, <c>dyn</c>, <c>type</c>, <c>duration</c>, <c>timestamp</c>.</summary>
internal static class ConversionFunctions
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void Register(FunctionRegistry r)
    {
        r.Global("int", 1, a => ToInt(a[0]));
        r.Global("uint", 1, a => ToUint(a[0]));
        r.Global("double", 1, a => ToDouble(a[0]));
        r.Global("string", 1, a => ToStringValue(a[0]));
        r.Global("bytes", 1, a => a[0] switch
        {
            byte[] b => b,
            string s => Encoding.UTF8.GetBytes(s),
            _ => throw CelErrors.NoSuchOverload("bytes", a),
        });
        r.Global("bool", 1, a => a[0] switch
        {
            bool b => b,
            string s => ParseBool(s),
            _ => throw CelErrors.NoSuchOverload("bool", a),
        });
        r.Global("dyn", 1, a => a[0]);
        r.Global("type", 1, a => CelType.Of(a[0]));
        r.Global("duration", 1, a => a[0] switch
        {
            TimeSpan d => d,
            string s => GoDuration.Parse(s),
            _ => throw CelErrors.NoSuchOverload("duration", a),
        });
        r.Global("timestamp", 1, a => a[0] switch
        {
            DateTimeOffset t => t,
            string s => Rfc3339.Parse(s),
            long seconds when seconds is >= -62135596800 and <= 253402300799 => DateTimeOffset.FromUnixTimeSeconds(seconds),
            long => throw new CelEvaluationException("timestamp overflow"),
            _ => throw CelErrors.NoSuchOverload("timestamp", a),
        });
    }

    private static long ToInt(object? value) => value switch
    {
        long l => l,
        ulong u => u <= long.MaxValue ? (long)u : throw new CelEvaluationException("int overflow: uint out of range"),
        double d => d >= -9223372036854775808.0 && d < 9223372036854775808.0
            ? (long)d
            : throw new CelEvaluationException("int overflow: double out of range"),
        string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l
            : throw new CelEvaluationException($"cannot convert string \"{s}\" to int"),
        DateTimeOffset t => t.ToUnixTimeSeconds(),
        TimeSpan d => checked(d.Ticks * 100),
        _ => throw CelErrors.NoSuchOverload("int", value),
    };

    private static ulong ToUint(object? value) => value switch
    {
        ulong u => u,
        long l => l >= 0 ? (ulong)l : throw new CelEvaluationException("uint overflow: negative int"),
        double d => d >= 0 && d < 18446744073709551616.0
            ? (ulong)d
            : throw new CelEvaluationException("uint overflow: double out of range"),
        string s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
            ? u
            : throw new CelEvaluationException($"cannot convert string \"{s}\" to uint"),
        _ => throw CelErrors.NoSuchOverload("uint", value),
    };

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        ulong u => u,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : s.ToLowerInvariant() switch
            {
                "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
                "-inf" or "-infinity" => double.NegativeInfinity,
                "nan" => double.NaN,
                _ => throw new CelEvaluationException($"cannot convert string \"{s}\" to double"),
            },
        _ => throw CelErrors.NoSuchOverload("double", value),
    };

    private static string ToStringValue(object? value) => value switch
    {
        string or bool or long or ulong or double or TimeSpan or DateTimeOffset or CelType or CelUrl => CelValues.Format(value),
        byte[] b => DecodeUtf8(b),
        _ => throw CelErrors.NoSuchOverload("string", value),
    };

    private static string DecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CelEvaluationException("invalid UTF-8 in bytes, cannot convert to string");
        }
    }

    // Go's strconv.ParseBool, which cel-go uses.
    private static bool ParseBool(string s) => s switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new CelEvaluationException($"cannot convert string \"{s}\" to bool"),
    };
}
