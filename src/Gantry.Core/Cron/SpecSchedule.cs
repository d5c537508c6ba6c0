namespace Gantry.Core.Cron;

/// <summary>
/// A schedule of fields (robfig/cron's <c>SpecSchedule</c>): each a bit set of matching values, read in
/// <see cref="Zone"/>. When both day of month and day of week are restricted (neither given as <c>*</c> or <c>?</c>),
/// a day matches if either does, as in Vixie cron; otherwise both must.
/// </summary>
internal sealed record SpecSchedule(ulong Second, ulong Minute, ulong Hour, ulong DayOfMonth, ulong Month, ulong DayOfWeek, TimeZoneInfo Zone)
    : ICronSchedule
{
    private const int YearsAhead = 5;

    /// <summary>
    /// Walks forward field by field from the next whole second, resetting the smaller fields the first time a larger
    /// one moves and starting over whenever one wraps around, as robfig's <c>Next</c> does. Days step by wall clock;
    /// a day whose midnight a DST change skips lands back on the hour robfig's correction gives.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset time)
    {
        var t = ZonedTime.In(time, Zone);
        t = t.AddTicks(TimeSpan.TicksPerSecond - (t.UtcTicks % TimeSpan.TicksPerSecond));
        t = ZonedTime.In(t, Zone);
        var added = false;
        var yearLimit = t.Year + YearsAhead;
        do
        {
            if (t.Year > yearLimit)
            {
                return null;
            }
        }
        while (!Advance(ref t, ref added));

        return t;
    }

    /// <summary>One pass over the fields; false when a field wrapped around and the walk must start over.</summary>
    private bool Advance(ref DateTimeOffset t, ref bool added)
    {
        while (!Has(Month, t.Month))
        {
            if (!added)
            {
                added = true;
                t = ZonedTime.Date(t.Year, t.Month, 1, 0, 0, 0, Zone);
            }

            t = ZonedTime.AddDate(t, 1, 0, Zone);
            if (t.Month == 1)
            {
                return false;
            }
        }

        while (!DayMatches(t))
        {
            if (!added)
            {
                added = true;
                t = ZonedTime.Date(t.Year, t.Month, t.Day, 0, 0, 0, Zone);
            }

            t = ZonedTime.AddDate(t, 0, 1, Zone);
            // Where DST moved midnight, go back (or on) to the day's first hour, as robfig does.
            if (t.Hour != 0)
            {
                t = ZonedTime.In(t.AddHours(t.Hour > 12 ? 24 - t.Hour : -t.Hour), Zone);
            }

            if (t.Day == 1)
            {
                return false;
            }
        }

        while (!Has(Hour, t.Hour))
        {
            if (!added)
            {
                added = true;
                t = ZonedTime.Date(t.Year, t.Month, t.Day, t.Hour, 0, 0, Zone);
            }

            t = ZonedTime.In(t.AddHours(1), Zone);
            if (t.Hour == 0)
            {
                return false;
            }
        }

        while (!Has(Minute, t.Minute))
        {
            if (!added)
            {
                added = true;
                t = ZonedTime.Truncate(t, TimeSpan.FromMinutes(1), Zone);
            }

            t = ZonedTime.In(t.AddMinutes(1), Zone);
            if (t.Minute == 0)
            {
                return false;
            }
        }

        while (!Has(Second, t.Second))
        {
            if (!added)
            {
                added = true;
                t = ZonedTime.Truncate(t, TimeSpan.FromSeconds(1), Zone);
            }

            t = ZonedTime.In(t.AddSeconds(1), Zone);
            if (t.Second == 0)
            {
                return false;
            }
        }

        return true;
    }

    private bool DayMatches(DateTimeOffset t)
    {
        var dom = Has(DayOfMonth, t.Day);
        var dow = Has(DayOfWeek, (int)t.DayOfWeek);
        return (DayOfMonth & CronField.Star) != 0 || (DayOfWeek & CronField.Star) != 0 ? dom && dow : dom || dow;
    }

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;
}
