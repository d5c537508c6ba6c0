using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gantry.Dev;

/// <summary>
/// A gantry process inside a host's network namespace, entered with <c>nsenter --net</c> (not <c>ip netns
/// exec</c>, which remounts /sys and so hides the cgroup tree from the agent), in a session of its own so that a
/// Ctrl-C in the terminal reaches only <c>gantry dev cluster</c>, which stops the cluster in order. Its output goes
/// to a log file.
/// </summary>
internal sealed class DevProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;

    private DevProcess(Process process, StreamWriter log, string name)
    {
        _process = process;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static DevProcess Start(string name, string netnsPath, string logPath, IEnumerable<string> gantryArguments)
    {
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("nsenter");
        start.ArgumentList.Add("--net=" + netnsPath);
        start.ArgumentList.Add(Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the gantry binary"));
        foreach (var argument in gantryArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start the {name} process");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DevProcess(process, log, name);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends a process an earlier, crashed run left (by pid, from its pid file), if it is still a gantry.</summary>
    public static void StopLeftover(int pid)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("gantry", StringComparison.Ordinal))
        {
            _ = Kill(pid, SigTerm);
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project does not allow for one call.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
