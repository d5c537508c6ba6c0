namespace Gantry.Core.Cron;

/// <summary>
/// The few operations of Go's <c>time</c> package that robfig/cron's <c>Next</c> relies on, over an instant shown in
/// a time zone. Wall-clock construction normalizes overflowing fields and resolves a time in a DST gap or overlap as
/// Go's <c>time.Date</c> does, so the schedule lands on the same instants as kube's controller across DST changes.
/// </summary>
internal static class ZonedTime
{
    /// <summary>The instant shown in <paramref name="zone"/>.</summary>
    public static DateTimeOffset In(DateTimeOffset time, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(time, zone);

    /// <summary>
    /// Go's <c>time.Date</c>: the wall-clock time read first with the offset in force at that instant taken as UTC, and
    /// with the offset at the result when that differs (which is how Go picks a side of a gap or an overlap).
    /// </summary>
    public static DateTimeOffset Date(int year, int month, int day, int hour, int minute, int second, TimeZoneInfo zone)
    {
        var wall = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc)
            .AddMonths(month - 1).AddDays(day - 1).AddHours(hour).AddMinutes(minute).AddSeconds(second);
        var offset = zone.GetUtcOffset(wall);
        var utc = wall - offset;
        var atUtc = zone.GetUtcOffset(utc);
        if (atUtc != offset)
        {
            utc = wall - atUtc;
        }

        return In(new DateTimeOffset(utc, TimeSpan.Zero), zone);
    }

    /// <summary>Go's <c>AddDate</c>: the same wall-clock time so many months or days later, normalized.</summary>
    public static DateTimeOffset AddDate(DateTimeOffset time, int months, int days, TimeZoneInfo zone) =>
        Date(time.Year, time.Month + months, time.Day + days, time.Hour, time.Minute, time.Second, zone);

    /// <summary>Go's <c>Truncate</c>: rounds down on absolute time, not on the wall clock.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time, TimeSpan unit, TimeZoneInfo zone)
    {
        var ticks = time.UtcTicks - (time.UtcTicks % unit.Ticks);
        return In(new DateTimeOffset(ticks, TimeSpan.Zero), zone);
    }
}
