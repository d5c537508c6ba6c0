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

        var suffix = exponent switch
        {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            _ => "E",
        };
        return mantissa.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}
