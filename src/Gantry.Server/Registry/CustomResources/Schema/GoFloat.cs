using System.Globalization;
using System.Text;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// float64 written as Go writes it: <c>%v</c> (shortest digits, exponent form below 1e-4 or from 1e21),
/// <c>strconv.FormatFloat(f, 'f', -1, 64)</c>, and <c>encoding/json</c>'s form.
/// </summary>
internal static class GoFloat
{
    /// <summary><c>fmt.Sprintf("%v", f)</c>: <c>1</c>, <c>1.5</c>, <c>1e+21</c>, <c>1e-05</c>.</summary>
    public static string FormatV(double value)
    {
        var (negative, digits, exponent) = Decompose(value);
        if (digits == "0")
        {
            return negative ? "-0" : "0";
        }

        var body = exponent < -4 || exponent >= 21 ? Exponential(digits, exponent, twoDigitExponent: true) : Fixed(digits, exponent);
        return negative ? "-" + body : body;
    }

    /// <summary><c>strconv.FormatFloat(f, 'f', -1, 64)</c>: never an exponent.</summary>
    public static string FormatF(double value)
    {
        var (negative, digits, exponent) = Decompose(value);
        var body = digits == "0" ? "0" : Fixed(digits, exponent);
        return negative && digits != "0" ? "-" + body : body;
    }

    /// <summary>A float64 as <c>encoding/json</c> writes it: fixed, or <c>1e+21</c> / <c>1e-7</c> outside [1e-6, 1e21).</summary>
    public static string FormatJson(double value)
    {
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var (negative, digits, exponent) = Decompose(value);
            var body = Exponential(digits, exponent, twoDigitExponent: false);
            return negative ? "-" + body : body;
        }

        return FormatF(value);
    }

    /// <summary>The shortest round-tripping decimal digits (no leading or trailing zeros) and the exponent of the first.</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(double value)
    {
        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? text.Length : point;
        var all = text.Replace(".", "", StringComparison.Ordinal);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 0);
        }

        return (negative, digits, integerDigits - 1 - leading + exponent);
    }

    private static string Fixed(string digits, int exponent)
    {
        if (exponent < 0)
        {
            return "0." + new string('0', -exponent - 1) + digits;
        }

        if (digits.Length <= exponent + 1)
        {
            return digits + new string('0', exponent + 1 - digits.Length);
        }

        return digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    private static string Exponential(string digits, int exponent, bool twoDigitExponent)
    {
        var builder = new StringBuilder();
        builder.Append(digits[0]);
        if (digits.Length > 1)
        {
            builder.Append('.').Append(digits.AsSpan(1));
        }

        var magnitude = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        if (twoDigitExponent && magnitude.Length < 2)
        {
            magnitude = "0" + magnitude;
        }

        return builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(magnitude).ToString();
    }
}
