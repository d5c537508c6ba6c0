using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Core.Cel;

/// <summary>Timestamps as <c>timestamp("...")</c> reads them and <c>string(timestamp)</c> writes them (Go's RFC3339Nano).</summary>
internal static partial class Rfc3339
{
    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static DateTimeOffset Parse(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            throw new CelEvaluationException($"timestamp(\"{text}\"): not an RFC3339 timestamp");
        }
        int Part(int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        try
        {
            var fraction = m.Groups[7].Success ? m.Groups[7].Value.PadRight(7, '0')[..7] : "0";
            var offset = m.Groups[8].Success
                ? TimeSpan.Zero
                : new TimeSpan(Part(10), Part(11), 0) * (m.Groups[9].Value == "-" ? -1 : 1);
            var local = new DateTimeOffset(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), offset)
                .AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
            return local.ToUniversalTime();
        }
        catch (ArgumentException)
        {
            throw new CelEvaluationException($"timestamp(\"{text}\"): out of range");
        }
    }

    public static string Format(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
        {
            text += "." + ticks.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        return text + "Z";
    }
}
