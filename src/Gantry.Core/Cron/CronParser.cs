namespace Gantry.Core.Cron;

/// <summary>
/// robfig/cron's <c>ParseStandard</c>, the parser kube validates and runs CronJob schedules with: five fields
/// (minute, hour, day of month, month, day of week), or a descriptor (<c>@yearly</c>, <c>@annually</c>,
/// <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, <c>@every &lt;duration&gt;</c>),
/// optionally after <c>TZ=zone</c> or <c>CRON_TZ=zone</c>. Errors carry robfig's messages.
/// </summary>
public static class CronParser
{
    private const int FieldCount = 5;

    /// <summary>Parses <paramref name="spec"/>, read in <paramref name="zone"/> unless it names its own.</summary>
    /// <exception cref="CronFormatException">The schedule does not parse.</exception>
    public static ICronSchedule Parse(string spec, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length == 0)
        {
            throw new CronFormatException("empty spec string");
        }

        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            // As robfig, the zone runs to the first space (to the end when there is none).
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..] : spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            zone = TimeZones.Find(name) ?? throw new CronFormatException($"provided bad location {name}: unknown time zone {name}");
            spec = space < 0 ? "" : spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            return Descriptor(spec, zone);
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != FieldCount)
        {
            throw new CronFormatException($"expected exactly {FieldCount} fields, found {fields.Length}: [{string.Join(' ', fields)}]");
        }

        return new SpecSchedule(
            1UL,
            CronField.Minute.Parse(fields[0]),
            CronField.Hour.Parse(fields[1]),
            CronField.DayOfMonth.Parse(fields[2]),
            CronField.Month.Parse(fields[3]),
            CronField.DayOfWeek.Parse(fields[4]),
            zone);
    }

    private static ICronSchedule Descriptor(string descriptor, TimeZoneInfo zone)
    {
        const ulong first = 1UL;
        var firstDay = 1UL << CronField.DayOfMonth.Min;
        var firstMonth = 1UL << CronField.Month.Min;
        var (days, months, weekdays) = (CronField.DayOfMonth.All, CronField.Month.All, CronField.DayOfWeek.All);
        switch (descriptor)
        {
            case "@yearly" or "@annually":
                return new SpecSchedule(first, first, first, firstDay, firstMonth, weekdays, zone);
            case "@monthly":
                return new SpecSchedule(first, first, first, firstDay, months, weekdays, zone);
            case "@weekly":
                return new SpecSchedule(first, first, first, days, months, first, zone);
            case "@daily" or "@midnight":
                return new SpecSchedule(first, first, first, days, months, weekdays, zone);
            case "@hourly":
                return new SpecSchedule(first, first, CronField.Hour.All, days, months, weekdays, zone);
        }

        const string every = "@every ";
        if (descriptor.StartsWith(every, StringComparison.Ordinal))
        {
            try
            {
                return EverySchedule.Of(GoDuration.Parse(descriptor[every.Length..]));
            }
            catch (CronFormatException ex)
            {
                throw new CronFormatException($"failed to parse duration {descriptor}: {ex.Message}");
            }
        }

        throw new CronFormatException($"unrecognized descriptor: {descriptor}");
    }
}
