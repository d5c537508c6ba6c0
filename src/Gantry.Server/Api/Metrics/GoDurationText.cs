using System.Globalization;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// A duration as Go's <c>time.Duration.String</c> writes it (<c>"10.002s"</c>, <c>"1m30s"</c>, <c>"250ms"</c>): the
/// form of <c>metav1.Duration</c>, in which metrics-server reports a window.
/// </summary>
public static class GoDurationText
{
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : "";
        var nanoseconds = (ulong)Math.Abs(duration.Ticks) * 100;
        if (nanoseconds < 1_000_000_000)
        {
            return sign + (nanoseconds switch
            {
                < 1_000 => $"{nanoseconds}ns",
                < 1_000_000 => Fraction(nanoseconds, 1_000) + "µs",
                _ => Fraction(nanoseconds, 1_000_000) + "ms",
            });
        }

        var hours = nanoseconds / 3_600_000_000_000;
        var minutes = nanoseconds / 60_000_000_000 % 60;
        var seconds = Fraction(nanoseconds % 60_000_000_000, 1_000_000_000) + "s";
        return sign + (hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds);
    }

    /// <summary><paramref name="value"/> / <paramref name="unit"/> with the remainder as decimals, trailing zeros dropped.</summary>
    private static string Fraction(ulong value, ulong unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
