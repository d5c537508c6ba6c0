using System.Diagnostics;

namespace Gantry.Agent.Runtimes;

/// <summary>An exec session over a child process of the agent (nsenter or runc exec) and pipes; see <see cref="TerminalExecSession"/> for a TTY.</summary>
internal sealed class ProcessExecSession : IExecSession
{
    private readonly Process _process;

    private ProcessExecSession(Process process)
    {
        _process = process;
        Stdin = process.StandardInput.BaseStream;
        Stdout = process.StandardOutput.BaseStream;
        Stderr = process.StandardError.BaseStream;
    }

    public Stream Stdin { get; }

    public Stream Stdout { get; }

    public Stream Stderr { get; }

    /// <summary>Starts <paramref name="argv"/>; with <paramref name="tty"/> on a pseudo-terminal (<see cref="TerminalExecSession"/>).</summary>
    public static IExecSession Start(IReadOnlyList<string> argv, bool tty)
    {
        if (tty)
        {
            return TerminalExecSession.Start(argv);
        }

        var command = argv;
        var startInfo = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        InheritedDescriptors.MarkCloseOnExec();
        var process = Process.Start(startInfo) ?? throw new IOException($"could not start {command[0]}");
        return new ProcessExecSession(process);
    }

    public void Resize(ushort columns, ushort rows)
    {
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
