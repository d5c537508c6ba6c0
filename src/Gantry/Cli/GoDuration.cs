using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Cli;

/// <summary>Durations written as Go's <c>time.ParseDuration</c> reads them (<c>24h</c>, <c>1h30m</c>, <c>90s</c>, <c>0</c>), as kubeadm's <c>--ttl</c> takes them.</summary>
public static partial class GoDuration
{
    /// <exception cref="UsageException">The text is not a non-negative duration.</exception>
    public static TimeSpan Parse(string text, string flag)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            throw new UsageException($"{flag} must be a duration like 24h, 30m or 1h30m, not \"{text}\"");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }

        return total;
    }

    /// <summary>The short form <c>kubectl</c> and <c>kubeadm token list</c> print (apimachinery's <c>ShortHumanDuration</c>).</summary>
    public static string ShortHuman(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        var hours = (long)duration.TotalHours;
        return seconds switch
        {
            < -1 => "<invalid>",
            < 0 => "0s",
            < 60 => $"{seconds}s",
            _ when duration.TotalMinutes < 60 => $"{(long)duration.TotalMinutes}m",
            _ when hours < 24 => $"{hours}h",
            _ when hours < 24 * 365 => $"{hours / 24}d",
            _ => $"{hours / 24 / 365}y",
        };
    }

    [GeneratedRegex("([0-9]+(?:\\.[0-9]+)?)(h|ms|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
