using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Gantry.Core.Validation;

/// <summary>
/// Go's <c>time.Parse(time.RFC3339, s)</c>, which apimachinery uses to decode <c>metav1.Time</c> query parameters
/// (<c>sinceTime</c>), with the error text the apiserver sends back as is:
/// <c>parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"</c>.
/// It accepts what Go accepts, which is a little more than RFC 3339: a one-digit hour, a comma before the
/// fraction, offsets up to 24:60; and refuses what Go refuses: a lower-case t or z, an offset without a colon.
/// </summary>
/// <remarks>
/// A port of the layout walk in Go's <c>time.parse</c> for this one layout, element by element, because the
/// error names the element that failed and what was left of the value there. It follows the Go source as of
/// golang/go#67470, which refuses offsets beyond 24:60; older Go took them.
/// </remarks>
public static class GoRfc3339
{
    private const string Layout = "2006-01-02T15:04:05Z07:00";

    // The Gregorian calendar repeats every 400 years; Go accepts year 0, which DateTime cannot hold.
    private const long DaysPer400Years = 146097;

    public static bool TryParse(string text, out DateTimeOffset time, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        time = default;
        var value = text;

        if (value.Length < 4 || !IsDigit(value, 0) || !AllDigits(value[..4]))
        {
            return CannotParse(text, value, "2006", out error);
        }

        var year = Number(value[..4]);
        value = value[4..];

        if (!Skip(ref value, '-'))
        {
            return CannotParse(text, value, "-", out error);
        }

        if (!TwoDigits(ref value, out var month))
        {
            return CannotParse(text, value, "01", out error);
        }

        if (month is < 1 or > 12)
        {
            return OutOfRange(text, "month", out error);
        }

        if (!Skip(ref value, '-'))
        {
            return CannotParse(text, value, "-", out error);
        }

        if (!TwoDigits(ref value, out var day))
        {
            return CannotParse(text, value, "02", out error);
        }

        if (!Skip(ref value, 'T'))
        {
            return CannotParse(text, value, "T", out error);
        }

        // The layout's "15" is Go's one-or-two-digit hour.
        if (!IsDigit(value, 0))
        {
            return CannotParse(text, value, "15", out error);
        }

        var hourDigits = IsDigit(value, 1) ? 2 : 1;
        var hour = Number(value[..hourDigits]);
        value = value[hourDigits..];
        if (hour >= 24)
        {
            return OutOfRange(text, "hour", out error);
        }

        if (!Skip(ref value, ':'))
        {
            return CannotParse(text, value, ":", out error);
        }

        if (!TwoDigits(ref value, out var minute))
        {
            return CannotParse(text, value, "04", out error);
        }

        if (minute >= 60)
        {
            return OutOfRange(text, "minute", out error);
        }

        if (!Skip(ref value, ':'))
        {
            return CannotParse(text, value, ":", out error);
        }

        if (!TwoDigits(ref value, out var second))
        {
            return CannotParse(text, value, "05", out error);
        }

        if (second >= 60)
        {
            return OutOfRange(text, "second", out error);
        }

        var nanoseconds = Fraction(ref value);

        var offsetSeconds = 0;
        if (value.Length >= 1 && value[0] == 'Z')
        {
            value = value[1..];
        }
        else
        {
            var zone = value;
            if (value.Length < 6 || value[3] != ':')
            {
                return CannotParse(text, zone, "Z07:00", out error);
            }

            var sign = value[0];
            var hoursText = value[1..3];
            var minutesText = value[4..6];
            value = value[6..];
            // Go reads the minutes only when the hours were digits, and judges the range before the syntax.
            var parsed = AllDigits(hoursText) && AllDigits(minutesText);
            var offsetHours = AllDigits(hoursText) ? Number(hoursText) : 0;
            var offsetMinutes = parsed ? Number(minutesText) : 0;

            // Go tests the minute after the hour and keeps the last complaint; > rather than >=, as Go allows 24:00.
            var range = offsetMinutes > 60 ? "time zone offset minute" : offsetHours > 24 ? "time zone offset hour" : null;
            if (range is not null)
            {
                return OutOfRange(text, range, out error);
            }

            if (!parsed || sign is not ('+' or '-'))
            {
                return CannotParse(text, zone, "Z07:00", out error);
            }

            offsetSeconds = ((offsetHours * 60) + offsetMinutes) * 60 * (sign == '-' ? -1 : 1);
        }

        if (value.Length != 0)
        {
            error = $"parsing time {Quote(text)}: extra text: {Quote(value)}";
            return false;
        }

        if (day < 1 || day > DaysIn(month, year))
        {
            return OutOfRange(text, "day", out error);
        }

        time = Instant(year, month, day, hour, minute, second, nanoseconds, offsetSeconds);
        error = null;
        return true;
    }

    /// <summary>
    /// A fraction of a second after the seconds, which Go takes although the layout has none: a period or comma and
    /// any number of digits, of which the first nine count.
    /// </summary>
    private static int Fraction(ref string value)
    {
        if (value.Length < 2 || value[0] is not ('.' or ',') || !IsDigit(value, 1))
        {
            return 0;
        }

        var end = 2;
        while (IsDigit(value, end))
        {
            end++;
        }

        var digits = value[1..Math.Min(end, 10)];
        value = value[end..];
        var nanoseconds = Number(digits);
        for (var scale = digits.Length; scale < 9; scale++)
        {
            nanoseconds *= 10;
        }

        return nanoseconds;
    }

    /// <summary>
    /// The instant, clamped to what <see cref="DateTimeOffset"/> can hold: Go also takes year 0 and, through an offset,
    /// instants past 9999, which for a <c>sinceTime</c> mean the same as the first and the last instant.
    /// </summary>
    private static DateTimeOffset Instant(int year, int month, int day, int hour, int minute, int second, int nanoseconds, int offsetSeconds)
    {
        var shifted = year == 0;
        var ticks = new DateTime(shifted ? 400 : year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks
            - (shifted ? DaysPer400Years * TimeSpan.TicksPerDay : 0)
            + (nanoseconds / 100)
            - (offsetSeconds * TimeSpan.TicksPerSecond);
        return new DateTimeOffset(Math.Clamp(ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero);
    }

    private static bool Skip(ref string value, char literal)
    {
        if (value.Length == 0 || value[0] != literal)
        {
            return false;
        }

        value = value[1..];
        return true;
    }

    private static bool TwoDigits(ref string value, out int number)
    {
        number = 0;
        if (!IsDigit(value, 0) || !IsDigit(value, 1))
        {
            return false;
        }

        number = Number(value[..2]);
        value = value[2..];
        return true;
    }

    private static bool IsDigit(string value, int index) => index < value.Length && char.IsAsciiDigit(value[index]);

    private static bool AllDigits(string value) => value.All(char.IsAsciiDigit);

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int DaysIn(int month, int year) =>
        month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28) : DateTime.DaysInMonth(2001, month);

    private static bool CannotParse(string text, string rest, string element, out string error)
    {
        error = $"parsing time {Quote(text)} as {Quote(Layout)}: cannot parse {Quote(rest)} as {Quote(element)}";
        return false;
    }

    private static bool OutOfRange(string text, string what, out string error)
    {
        error = $"parsing time {Quote(text)}: {what} out of range";
        return false;
    }

    /// <summary>
    /// The time package's own quoting, not strconv's: every byte of a non-ASCII or control character as <c>\xNN</c>.
    /// </summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or >= 0x80)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
                continue;
            }

            if (b is (byte)'"' or (byte)'\\')
            {
                builder.Append('\\');
            }

            builder.Append((char)b);
        }

        return builder.Append('"').ToString();
    }
}
