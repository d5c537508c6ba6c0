using System.Globalization;

namespace Gantry.Core.Cron;

/// <summary>
/// One field of a cron line as a bit set (bit <c>n</c> set when value <c>n</c> matches), parsed as robfig/cron's
/// <c>getField</c> does: comma-separated ranges <c>a-b</c>, steps <c>/n</c>, <c>*</c> and <c>?</c>, names for months and
/// weekdays. <see cref="Star"/> marks a field given as <c>*</c> or <c>?</c> (without a step over 1), which decides how
/// day of month and day of week combine.
/// </summary>
internal sealed record CronField(string Name, int Min, int Max, IReadOnlyDictionary<string, int>? Names = null)
{
    public const ulong Star = 1UL << 63;

    public static CronField Second { get; } = new("second", 0, 59);

    public static CronField Minute { get; } = new("minute", 0, 59);

    public static CronField Hour { get; } = new("hour", 0, 23);

    public static CronField DayOfMonth { get; } = new("day of month", 1, 31);

    public static CronField Month { get; } = new("month", 1, 12, new Dictionary<string, int>
    {
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
        ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
    });

    public static CronField DayOfWeek { get; } = new("day of week", 0, 6, new Dictionary<string, int>
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
    });

    /// <summary>Every value, marked as given by <c>*</c>.</summary>
    public ulong All => Bits(Min, Max, 1) | Star;

    /// <summary>The bits of <paramref name="field"/>; empty list items are skipped, as Go's FieldsFunc drops them.</summary>
    public ulong Parse(string field)
    {
        var bits = 0UL;
        foreach (var expression in field.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            bits |= ParseRange(expression);
        }

        return bits;
    }

    private ulong ParseRange(string expression)
    {
        var rangeAndStep = expression.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        var extra = 0UL;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end, extra) = (Min, Max, Star);
        }
        else
        {
            start = ParseIntOrName(lowAndHigh[0]);
            end = lowAndHigh.Length switch
            {
                1 => start,
                2 => ParseIntOrName(lowAndHigh[1]),
                _ => throw new CronFormatException($"too many hyphens: {expression}"),
            };
        }

        var step = 1;
        switch (rangeAndStep.Length)
        {
            case 1:
                break;
            case 2:
                step = ParseNonNegative(rangeAndStep[1]);
                // "n/step" runs from n to the field's end.
                if (lowAndHigh.Length == 1)
                {
                    end = Max;
                }

                if (step > 1)
                {
                    extra = 0;
                }

                break;
            default:
                throw new CronFormatException($"too many slashes: {expression}");
        }

        if (start < Min)
        {
            throw new CronFormatException($"beginning of range ({start}) below minimum ({Min}): {expression}");
        }

        if (end > Max)
        {
            throw new CronFormatException($"end of range ({end}) above maximum ({Max}): {expression}");
        }

        if (start > end)
        {
            throw new CronFormatException($"beginning of range ({start}) beyond end of range ({end}): {expression}");
        }

        if (step == 0)
        {
            throw new CronFormatException($"step of range should be a positive number: {expression}");
        }

        return Bits(start, end, step) | extra;
    }

    private int ParseIntOrName(string expression) =>
        Names is not null && Names.TryGetValue(expression.ToLowerInvariant(), out var value) ? value : ParseNonNegative(expression);

    /// <summary>An integer as Go's strconv.Atoi reads it, with its error text; negatives are refused.</summary>
    private static int ParseNonNegative(string expression)
    {
        if (!long.TryParse(expression, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            var reason = expression.Length > 0 && expression.TrimStart('+', '-').All(char.IsAsciiDigit) && expression.TrimStart('+', '-').Length > 0
                ? "value out of range"
                : "invalid syntax";
            throw new CronFormatException($"failed to parse int from {expression}: strconv.Atoi: parsing \"{expression}\": {reason}");
        }

        if (number < 0)
        {
            throw new CronFormatException($"negative number ({number}) not allowed: {expression}");
        }

        // Past any field's maximum: the bounds check reports it, as robfig's does for any large number.
        return (int)Math.Min(number, int.MaxValue);
    }

    private static ulong Bits(int min, int max, int step)
    {
        var bits = 0UL;
        for (var i = min; i <= max; i += step)
        {
            bits |= 1UL << i;
        }

        return bits;
    }
}
