using System.Globalization;

namespace Gantry.Agent.Images;

/// <summary>
/// Sizes and ages the way docker prints them (go-units' HumanSize and HumanDuration), so
/// `gantry image ls` reads like `docker images`.
/// </summary>
public static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>Decimal units, three significant digits: "1.23MB", "512kB", "100B".</summary>
    public static string Size(long bytes)
    {
        double size = bytes;
        var unit = 0;
        while (size >= 1000 && unit < DecimalUnits.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return size.ToString("G3", CultureInfo.InvariantCulture) + DecimalUnits[unit];
    }

    /// <summary>"About a minute", "3 hours", "2 weeks"… (docker appends " ago").</summary>
    public static string Duration(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        var hours = (long)age.TotalHours;
        return seconds switch
        {
            < 1 => "Less than a second",
            1 => "1 second",
            < 60 => $"{seconds} seconds",
            _ when age.TotalMinutes < 2 => "About a minute",
            _ when age.TotalMinutes < 60 => $"{(long)age.TotalMinutes} minutes",
            _ when hours < 2 => "About an hour",
            _ when hours < 24 * 2 => $"{hours} hours",
            _ when hours < 24 * 7 * 2 => $"{hours / 24} days",
            _ when hours < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            _ when hours < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{hours / 24 / 365} years",
        };
    }
}
