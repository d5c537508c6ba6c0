using System.Diagnostics;
using System.Globalization;
using Gantry.Harness;

namespace Gantry.Bench.Scenarios;

/// <summary>
/// Counts the server's fsync and fdatasync calls with <c>perf stat</c> tracepoints, so group commit
/// can be seen from outside: creates per sync is the average batch. Optional: null without perf or root.
/// </summary>
internal sealed class SyscallCounter : IDisposable
{
    private const string Events = "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync";
    private static readonly string[] PerfLocations = ["/usr/bin/perf", "/usr/local/bin/perf"];
    private readonly Process _perf;
    private readonly Task<string> _report;

    private SyscallCounter(Process perf)
    {
        _perf = perf;
        _report = perf.StandardError.ReadToEndAsync();
    }

    public static SyscallCounter? TryStart(int pid)
    {
        var perf = PerfLocations.FirstOrDefault(File.Exists);
        if (perf is null || Environment.UserName != "root")
        {
            return null;
        }

        var start = new ProcessStartInfo(perf) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // -p counts the threads alive now: callers start it after warm-up, when the server's threads exist.
        foreach (var argument in (ReadOnlySpan<string>)["stat", "-x", ",", "-e", Events, "-p", pid.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        // perf needs a moment to attach; syncs before that would be missed.
        Thread.Sleep(300);
        return process.HasExited ? null : new SyscallCounter(process);
    }

    /// <returns>fsync + fdatasync calls since the start, or null when perf could not count them.</returns>
    public async Task<long?> StopAsync()
    {
        PosixSignals.Interrupt(_perf.Id);
        var report = await _report.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _perf.WaitForExitAsync().ConfigureAwait(false);
        long total = 0;
        var seen = 0;
        foreach (var line in report.Split('\n'))
        {
            var fields = line.Split(',');
            if (fields.Length > 2 && fields[2].StartsWith("syscalls:", StringComparison.Ordinal) && long.TryParse(fields[0], CultureInfo.InvariantCulture, out var count))
            {
                total += count;
                seen++;
            }
        }

        return seen == 2 ? total : null;
    }

    public void Dispose()
    {
        if (!_perf.HasExited)
        {
            _perf.Kill();
        }

        _perf.Dispose();
    }
}
