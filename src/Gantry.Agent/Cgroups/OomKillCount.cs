using System.Globalization;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// Reads how many processes the OOM killer took from a cgroup. v1's memory.oom_control and v2's
/// memory.events share the "oom_kill N" line, so one parser serves both.
/// </summary>
public static class OomKillCount
{
    public static long Parse(string? eventsText)
    {
        if (string.IsNullOrEmpty(eventsText))
        {
            return 0;
        }

        foreach (var line in eventsText.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == "oom_kill" &&
                long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return count;
            }
        }

        return 0;
    }
}
