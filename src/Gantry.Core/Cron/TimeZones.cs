namespace Gantry.Core.Cron;

/// <summary>Time zones by IANA name, as Go's <c>time.LoadLocation</c> finds them: "" and "UTC" are UTC.</summary>
public static class TimeZones
{
    /// <summary>The zone named <paramref name="name"/>, or null when the time zone database has none of that name.</summary>
    public static TimeZoneInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (name == "Local")
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
