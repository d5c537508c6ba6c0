using System.Globalization;

namespace Gantry.Core.Cron;

/// <summary>
/// Go's <c>time.ParseDuration</c>, for <c>@every</c>: a signed sequence of decimal numbers, each with a unit
/// (ns, us, µs, ms, s, m, h), such as <c>1h30m</c> or <c>1.5s</c>; its error text is Go's.
/// </summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static TimeSpan Parse(string text)
    {
        var rest = text;
        var sign = 1;
        if (rest.Length > 0 && rest[0] is '-' or '+')
        {
            sign = rest[0] == '-' ? -1 : 1;
            rest = rest[1..];
        }

        if (rest == "0")
        {
            return TimeSpan.Zero;
        }

        if (rest.Length == 0)
        {
            throw Invalid(text);
        }

        var ticks = 0.0;
        while (rest.Length > 0)
        {
            var digits = rest.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                throw Invalid(text);
            }

            rest = rest[digits..];
            var unitLength = rest.TakeWhile(c => !char.IsAsciiDigit(c) && c != '.').Count();
            var unit = rest[..unitLength];
            if (unit.Length == 0)
            {
                throw new CronFormatException($"time: missing unit in duration \"{text}\"");
            }

            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null)
            {
                throw new CronFormatException($"time: unknown unit \"{unit}\" in duration \"{text}\"");
            }

            ticks += number * match.Ticks;
            rest = rest[unitLength..];
        }

        return TimeSpan.FromTicks(sign * (long)ticks);
    }

    private static CronFormatException Invalid(string text) => new($"time: invalid duration \"{text}\"");
}
