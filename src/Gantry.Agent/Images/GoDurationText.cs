using System.Globalization;

namespace Gantry.Agent.Images;

/// <summary>A duration as Go's <c>time.Duration.String</c> writes it once truncated to milliseconds (<c>450ms</c>, <c>1.5s</c>, <c>1m2.25s</c>), as the kubelet's events show it.</summary>
public static class GoDurationText
{
    public static string Of(TimeSpan duration)
    {
        var milliseconds = (long)duration.TotalMilliseconds;
        if (milliseconds <= 0)
        {
            return "0s";
        }

        if (milliseconds < 1000)
        {
            return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var fraction = milliseconds % 1000;
        var seconds = (milliseconds / 1000 % 60).ToString(CultureInfo.InvariantCulture)
                      + (fraction == 0 ? "" : "." + fraction.ToString("D3", CultureInfo.InvariantCulture).TrimEnd('0')) + "s";
        return hours > 0 ? FormattableString.Invariant($"{hours}h{minutes}m{seconds}")
            : minutes > 0 ? FormattableString.Invariant($"{minutes}m{seconds}")
            : seconds;
    }
}
