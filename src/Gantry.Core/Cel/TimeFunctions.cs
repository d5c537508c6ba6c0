using System.Globalization;

namespace Gantry.Core.Cel;

/// <summary>
/// Timestamp and duration accessors. Timestamps read in UTC, or in the time zone given as an optional argument (an
/// IANA name or a <c>+HH:MM</c> offset). Month, day of month and day of year count from zero, as in CEL.
/// </summary>
internal static class TimeFunctions
{
    public static void Register(FunctionRegistry r)
    {
        Accessor(r, "getFullYear", t => t.Year, null);
        Accessor(r, "getMonth", t => t.Month - 1, null);
        Accessor(r, "getDate", t => t.Day, null);
        Accessor(r, "getDayOfMonth", t => t.Day - 1, null);
        Accessor(r, "getDayOfWeek", t => (int)t.DayOfWeek, null);
        Accessor(r, "getDayOfYear", t => t.DayOfYear - 1, null);
        Accessor(r, "getHours", t => t.Hour, d => (long)d.TotalHours);
        Accessor(r, "getMinutes", t => t.Minute, d => (long)d.TotalMinutes);
        Accessor(r, "getSeconds", t => t.Second, d => (long)d.TotalSeconds);
        Accessor(r, "getMilliseconds", t => t.Millisecond, d => (long)d.TotalMilliseconds);
    }

    private static void Accessor(FunctionRegistry r, string name, Func<DateTimeOffset, int> ofTimestamp, Func<TimeSpan, long>? ofDuration)
    {
        r.Member(name, 0, a => a[0] switch
        {
            DateTimeOffset t => (long)ofTimestamp(t.ToUniversalTime()),
            TimeSpan d when ofDuration is not null => ofDuration(d),
            _ => throw CelErrors.NoSuchOverload(name, a),
        });
        r.Member(name, 1, a => a is [DateTimeOffset t, string zone]
            ? (long)ofTimestamp(InZone(t, zone))
            : throw CelErrors.NoSuchOverload(name, a));
    }

    private static DateTimeOffset InZone(DateTimeOffset t, string zone)
    {
        if (zone.Length > 0 && (zone[0] is '+' or '-' || char.IsAsciiDigit(zone[0])))
        {
            var text = zone.TrimStart('+', '-');
            if (TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out var offset))
            {
                return t.ToOffset(zone[0] == '-' ? -offset : offset);
            }
            throw new CelEvaluationException($"invalid time zone offset: {zone}");
        }
        try
        {
            return TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById(zone));
        }
        // A name that reads no zone file (a directory, one it may not read) is an unknown zone too, as in cel-go.
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException or UnauthorizedAccessException or IOException or ArgumentException)
        {
            throw new CelEvaluationException($"unknown time zone: {zone}", e);
        }
    }
}
