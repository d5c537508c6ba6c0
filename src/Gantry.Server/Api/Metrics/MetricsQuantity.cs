using System.Globalization;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// Usage written as metrics-server writes it: CPU as a decimal quantity of nanocores, memory as a binary quantity of
/// bytes, each in the canonical form of apimachinery's <c>resource.Quantity</c> (<c>"133496537n"</c>, <c>"250m"</c>,
/// <c>"1022300Ki"</c>, <c>"1536"</c>), so clients see the very strings a real cluster shows.
/// </summary>
public static class MetricsQuantity
{
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>The SI suffixes from 10^-9 to 10^18, one per power of 1000.</summary>
    private static readonly string[] DecimalSuffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];

    public static string NanoCores(ulong nanoCores) => Decimal(nanoCores, -9);

    /// <summary>A binary quantity; below 1024 apimachinery falls back to the decimal form, which may then end in k.</summary>
    public static string Bytes(ulong bytes)
    {
        if (bytes < 1024)
        {
            return Decimal(bytes, 0);
        }

        var power = 0;
        while (bytes % 1024 == 0 && power < BinarySuffixes.Length - 1)
        {
            bytes /= 1024;
            power++;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
    }

    /// <summary>The nanocores of a quantity written by <see cref="NanoCores"/>.</summary>
    public static ulong ParseNanoCores(string quantity) => Parse(quantity, unit: 1_000_000_000);

    /// <summary>The bytes of a quantity written by <see cref="Bytes"/>.</summary>
    public static ulong ParseBytes(string quantity) => Parse(quantity, unit: 1);

    /// <summary>Digits and one of the suffixes these quantities use, times <paramref name="unit"/> (what no suffix means).</summary>
    private static ulong Parse(string quantity, ulong unit)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var digits = quantity.TakeWhile(char.IsAsciiDigit).Count();
        var value = ulong.Parse(quantity.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
        var suffix = quantity[digits..];
        if (Array.IndexOf(BinarySuffixes, suffix) is var power and > 0)
        {
            return value << (10 * power);
        }

        var exponent = Array.IndexOf(DecimalSuffixes, suffix) * 3 - 9;
        if (exponent < -9)
        {
            throw new FormatException($"\"{quantity}\" is not a quantity of the resource metrics API");
        }

        var scaled = (decimal)value * unit;
        for (; exponent < 0; exponent += 3)
        {
            scaled /= 1000;
        }

        for (; exponent > 0; exponent -= 3)
        {
            scaled *= 1000;
        }

        return (ulong)scaled;
    }

    /// <summary><paramref name="mantissa"/> × 10^<paramref name="exponent"/> with trailing zeros folded into the
    /// largest SI suffix whose exponent is a multiple of 3.</summary>
    private static string Decimal(ulong mantissa, int exponent)
    {
        if (mantissa == 0)
        {
            return "0";
        }

        while (mantissa % 10 == 0 && exponent < 18)
        {
            mantissa /= 10;
            exponent++;
        }

        for (var excess = ((exponent % 3) + 3) % 3; excess > 0; excess--)
        {
            mantissa *= 10;
            exponent--;
        }

        return mantissa.ToString(CultureInfo.InvariantCulture) + DecimalSuffixes[(exponent + 9) / 3];
    }
}
