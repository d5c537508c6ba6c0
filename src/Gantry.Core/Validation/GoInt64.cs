using System.Diagnostics.CodeAnalysis;

namespace Gantry.Core.Validation;

/// <summary>
/// Go's <c>strconv.ParseInt(s, 10, 64)</c>, which apimachinery uses to decode integer query parameters
/// (<c>tailLines</c>, <c>limitBytes</c>, …): an optional sign and ASCII digits, nothing else, and its error
/// text, which the apiserver sends back as is: <c>strconv.ParseInt: parsing "abc": invalid syntax</c>.
/// </summary>
public static class GoInt64
{
    public static bool TryParse(string text, out long value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var digits = text.AsSpan();
        var negative = false;
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }

        if (digits.Length == 0)
        {
            return Fail(text, "invalid syntax", out error);
        }

        ulong magnitude = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return Fail(text, "invalid syntax", out error);
            }

            // Go stops at the first digit that overflows 64 bits, so a long number is out of range even when junk follows it.
            var digit = (ulong)(c - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                return Fail(text, "value out of range", out error);
            }

            magnitude = (magnitude * 10) + digit;
        }

        const ulong Cutoff = 1UL << 63;
        if (negative ? magnitude > Cutoff : magnitude >= Cutoff)
        {
            return Fail(text, "value out of range", out error);
        }

        value = negative ? unchecked((long)(0UL - magnitude)) : (long)magnitude;
        error = null;
        return true;
    }

    private static bool Fail(string text, string reason, out string error)
    {
        error = $"strconv.ParseInt: parsing {GoValue.Quote(text)}: {reason}";
        return false;
    }
}
