using System.Diagnostics;
using System.Globalization;

namespace Gantry.Bench.Measurement;

/// <summary>
/// Samples CPU time of the server (from /proc/PID/stat, all threads), of this process and of the
/// whole machine (/proc/stat), so every result says how busy each side was and how much else ran:
/// on a small or shared machine that explains most of the latency.
/// </summary>
internal sealed class CpuMeter
{
    // USER_HZ: the unit of /proc times; 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    private readonly int _serverPid;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double _serverStart;
    private readonly double _machineStart;
    private readonly TimeSpan _clientStart = Process.GetCurrentProcess().TotalProcessorTime;

    public CpuMeter(int serverPid)
    {
        _serverPid = serverPid;
        _serverStart = ServerCpuSeconds(serverPid);
        _machineStart = MachineBusySeconds();
    }

    public CpuUsage Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var server = ServerCpuSeconds(_serverPid) - _serverStart;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - _clientStart).TotalSeconds;
        var machine = MachineBusySeconds() - _machineStart;
        return new CpuUsage(server / wall, client / wall, Math.Max(0, machine - server - client) / wall);
    }

    /// <summary>User + system CPU seconds of every thread of a process so far.</summary>
    public static double ServerCpuSeconds(int pid) => StatSeconds(pid, 11);

    /// <summary>
    /// User + system CPU seconds of the children a process has waited for, and of theirs in turn
    /// (cutime + cstime): commands it ran to completion, not daemons that detached from it.
    /// </summary>
    public static double ReapedChildrenCpuSeconds(int pid) => StatSeconds(pid, 13);

    /// <summary>The sum of two adjacent tick fields of /proc/PID/stat, counted from after the command name.</summary>
    private static double StatSeconds(int pid, int firstField)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces; the fields count from after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var userTicks = long.Parse(fields[firstField], CultureInfo.InvariantCulture);
        var systemTicks = long.Parse(fields[firstField + 1], CultureInfo.InvariantCulture);
        return (userTicks + systemTicks) / ClockTicksPerSecond;
    }

    /// <summary>All non-idle CPU time of the machine: the first line of /proc/stat minus idle and iowait.</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        var busy = 0L;
        foreach (var index in (ReadOnlySpan<int>)[1, 2, 3, 6, 7, 8])
        {
            busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
        }

        return busy / ClockTicksPerSecond;
    }
}
