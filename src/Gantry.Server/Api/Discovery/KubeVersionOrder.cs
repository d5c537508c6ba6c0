using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// Kube's version priority (<c>version.CompareKubeAwareVersionStrings</c>), highest first: GA before beta before
/// alpha, a higher major then a higher minor first (v2, v1, v1beta2, v1beta1, v1alpha1), then any other name in
/// alphabetical order.
/// </summary>
public sealed partial class KubeVersionOrder : IComparer<string>
{
    public static KubeVersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var (a, b) = (Parse(x ?? ""), Parse(y ?? ""));
        if (a is null || b is null)
        {
            return a is null && b is null ? string.CompareOrdinal(x, y) : a is null ? 1 : -1;
        }

        return a.Value.Stability != b.Value.Stability ? a.Value.Stability.CompareTo(b.Value.Stability)
            : a.Value.Major != b.Value.Major ? b.Value.Major.CompareTo(a.Value.Major)
            : b.Value.Minor.CompareTo(a.Value.Minor);
    }

    private static (int Stability, long Major, long Minor)? Parse(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return null;
        }

        // A number too large for an int64 is not kube-like, as Go's Atoi failing makes it there.
        long minor = 0;
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || (match.Groups[3].Success && !long.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out minor)))
        {
            return null;
        }

        var stability = match.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 };
        return (stability, major, minor);
    }

    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex KubeVersion();
}
