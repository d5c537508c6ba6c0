using System.Globalization;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Identifies processes by PID and start time, from /proc/&lt;pid&gt;/stat, so that a checkpointed PID
/// that was reused by an unrelated process is never mistaken for the workload.
/// </summary>
internal static class ProcStat
{
    /// <summary>
    /// The state letter, parent PID and start time (field 22) of a stat line. The command name in
    /// parentheses may itself contain spaces and parentheses, so fields are counted from the last ')'.
    /// </summary>
    public static (char State, int ParentPid, long StartTime)? Parse(string line)
    {
        var close = line.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 ||
            !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ||
            !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return (fields[0][0], parent, start);
    }

    /// <summary>True while the process that had this PID and start time exists and has not exited
    /// (a zombie has exited: it merely awaits its parent's wait).</summary>
    public static bool IsAlive(int pid, long startTime) =>
        Read(pid) is { } stat && stat.StartTime == startTime && stat.State is not ('Z' or 'X');

    public static (char State, int ParentPid, long StartTime)? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>The children of a process (of its main thread, which is where forks of a single-threaded parent land).</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return [];
        }
    }
}
