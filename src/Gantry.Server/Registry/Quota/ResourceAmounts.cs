using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// Amounts of named resources, as quota adds and compares them (kube's <c>quota.Add</c>, <c>LessThanOrEqual</c> and
/// <c>Mask</c> over a ResourceList), and printed as kube's quota messages print them: <c>cpu=500m,pods=2</c>.
/// </summary>
public static class ResourceAmounts
{
    public static Dictionary<string, decimal> Empty() => new(StringComparer.Ordinal);

    public static Dictionary<string, decimal> From(IDictionary<string, ResourceQuantity>? list)
    {
        var amounts = Empty();
        foreach (var (name, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            amounts[name] = quantity.ToDecimal();
        }

        return amounts;
    }

    public static void Add(Dictionary<string, decimal> into, string name, decimal amount) =>
        into[name] = into.GetValueOrDefault(name) + amount;

    public static Dictionary<string, decimal> Sum(IReadOnlyDictionary<string, decimal> a, IReadOnlyDictionary<string, decimal> b)
    {
        var sum = new Dictionary<string, decimal>(a, StringComparer.Ordinal);
        foreach (var (name, amount) in b)
        {
            Add(sum, name, amount);
        }

        return sum;
    }

    /// <summary>Only the amounts named in <paramref name="names"/>.</summary>
    public static Dictionary<string, decimal> Mask(IReadOnlyDictionary<string, decimal> amounts, IEnumerable<string> names)
    {
        var masked = Empty();
        foreach (var name in names)
        {
            if (amounts.TryGetValue(name, out var amount))
            {
                masked[name] = amount;
            }
        }

        return masked;
    }

    /// <summary>
    /// A quantity in the canonical form kube prints: binary suffixes for amounts of bytes that are whole multiples of
    /// 1024 (<c>1Gi</c>), decimal ones otherwise (<c>500m</c>, <c>2</c>, <c>1500M</c>).
    /// </summary>
    public static string Format(string name, decimal amount) => ToQuantity(name, amount).ToString();

    public static ResourceQuantity ToQuantity(string name, decimal amount)
    {
        var binary = IsBytes(name) && amount != 0 && decimal.Truncate(amount) == amount && amount % 1024 == 0;
        return new ResourceQuantity(binary ? Binary(amount) : Decimal(amount));

        static string Binary(decimal bytes)
        {
            string[] suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            var i = 0;
            while (i < suffixes.Length - 1 && bytes % 1024 == 0)
            {
                bytes /= 1024;
                i++;
            }

            return bytes.ToString(CultureInfo.InvariantCulture) + suffixes[i];
        }

        static string Decimal(decimal value) =>
            decimal.Truncate(value) == value
                ? value.ToString(CultureInfo.InvariantCulture)
                : decimal.Truncate(value * 1000) == value * 1000
                    ? (value * 1000).ToString("0", CultureInfo.InvariantCulture) + "m"
                    : (value * 1_000_000_000).ToString("0", CultureInfo.InvariantCulture) + "n";
    }

    /// <summary>kube's <c>prettyPrint</c>: <c>name=quantity</c> pairs sorted by name, joined with commas.</summary>
    public static string Print(IReadOnlyDictionary<string, decimal> amounts) =>
        string.Join(",", amounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Format(p.Key, p.Value)}"));

    private static bool IsBytes(string name) =>
        name.EndsWith("memory", StringComparison.Ordinal) || name.EndsWith("storage", StringComparison.Ordinal) || name.Contains("hugepages-", StringComparison.Ordinal);
}
