using System.Globalization;

namespace Gantry.Agent.Stats;

/// <summary>
/// Finds one value in the "key value" lines of cgroup files (<c>cpu.stat</c>, <c>memory.stat</c>) and of
/// <c>/proc/meminfo</c> ("MemTotal:  16384 kB", whose values are in KiB).
/// </summary>
internal static class KeyedValue
{
    public static ulong? Find(string? text, string key)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0].TrimEnd(':') == key &&
                ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return fields.Length == 3 && fields[2] == "kB" ? value * 1024 : value;
            }
        }

        return null;
    }
}
