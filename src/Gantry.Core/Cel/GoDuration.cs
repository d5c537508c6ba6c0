using System.Globalization;

namespace Gantry.Core.Cel;

/// <summary>
/// Durations in Go's syntax (<c>1h30m</c>, <c>-1.5s</c>, <c>300ms</c>), as <c>duration("...")</c> reads them, and in
/// seconds (<c>5400s</c>) as <c>string(duration)</c> writes them. Precision is .NET's 100 ns tick.
/// </summary>
internal static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    public static TimeSpan Parse(string text)
    {
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return TimeSpan.Zero;
        }
        if (s.IsEmpty)
        {
            throw Invalid(text);
        }
        decimal total = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            var number = s[..i];
            if (number.IsEmpty || number is "." || number.Count('.') > 1 ||
                !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw Invalid(text);
            }
            s = s[i..];
            (string Unit, decimal Nanoseconds) unit = default;
            foreach (var candidate in Units)
            {
                if (s.StartsWith(candidate.Unit, StringComparison.Ordinal) && (unit.Unit is null || candidate.Unit.Length > unit.Unit.Length))
                {
                    unit = candidate;
                }
            }
            if (unit.Unit is null)
            {
                throw Invalid(text);
            }
            s = s[unit.Unit.Length..];
            total += amount * unit.Nanoseconds;
            if (total > long.MaxValue)
            {
                throw Invalid(text);
            }
        }
        var ticks = (long)(total / 100m);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    public static string FormatSeconds(TimeSpan value) =>
        (value.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";

    private static CelEvaluationException Invalid(string text) => new($"invalid duration: \"{text}\"");
}
