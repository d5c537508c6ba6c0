using System.Globalization;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>The ids a running process has, from its /proc/PID/status: the real uid and gid and the supplementary groups.</summary>
internal static class ProcessCredentials
{
    public static ProcessUser Read(int pid) => Parse(File.ReadAllText($"/proc/{pid}/status"));

    /// <summary>Lines <c>Uid: real effective saved fs</c>, <c>Gid: …</c> and <c>Groups: gid…</c>.</summary>
    public static ProcessUser Parse(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var fields = status.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return new ProcessUser(
            First(fields, "Uid"),
            First(fields, "Gid"),
            [.. fields.GetValueOrDefault("Groups", []).Select(g => long.Parse(g, CultureInfo.InvariantCulture))]);
    }

    private static long First(Dictionary<string, string[]> fields, string name) =>
        fields.TryGetValue(name, out var values) && values.Length > 0
            ? long.Parse(values[0], CultureInfo.InvariantCulture)
            : throw new FormatException($"a process status without {name}");
}
