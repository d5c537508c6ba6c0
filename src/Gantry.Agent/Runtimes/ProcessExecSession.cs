using System.Diagnostics;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// An exec session over a child process of the agent (nsenter or runc exec): on pipes, or with a TTY on a
/// pseudo-terminal of the agent's (<see cref="PseudoTerminal"/>). There the command runs in a session of its own with
/// the terminal as its controlling terminal, stdin, stdout and stderr, so that line editing, job control and the
/// window size the client sends all work; runc exec --tty passes the size on to the container's own terminal when the
/// kernel signals it the change.
/// </summary>
internal sealed class ProcessExecSession : IExecSession
{
    private readonly Process _process;
    private readonly PseudoTerminal? _terminal;

    private ProcessExecSession(Process process, PseudoTerminal? terminal)
    {
        _process = process;
        _terminal = terminal;
        Stdin = terminal?.Master ?? process.StandardInput.BaseStream;
        Stdout = terminal?.Output ?? process.StandardOutput.BaseStream;
        Stderr = terminal is null ? process.StandardError.BaseStream : Stream.Null;
    }

    public Stream Stdin { get; }

    public Stream Stdout { get; }

    /// <summary>Standard error; empty on a terminal, which carries it in its output.</summary>
    public Stream Stderr { get; }

    /// <summary>Starts <paramref name="argv"/>, with a TTY on a pseudo-terminal of the size <paramref name="request"/> gives, if any.</summary>
    public static ProcessExecSession Start(IReadOnlyList<string> argv, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terminal = request.Tty ? PseudoTerminal.Open() : null;
        try
        {
            if (terminal is not null && request.Columns > 0 && request.Rows > 0)
            {
                terminal.Resize(request.Columns, request.Rows);
            }

            // On a terminal, the shell opens it as the command's stdio; setsid(1) then makes it the controlling terminal
            // of a new session, and waits for the command if it had to fork to lead one.
            IReadOnlyList<string> command = terminal is null
                ? argv
                : ["/bin/sh", "-c", "exec setsid --ctty --wait \"$@\" <>\"$0\" >&0 2>&0", terminal.TerminalPath, .. argv];
            var startInfo = new ProcessStartInfo(command[0])
            {
                RedirectStandardInput = terminal is null,
                RedirectStandardOutput = terminal is null,
                RedirectStandardError = terminal is null,
                UseShellExecute = false,
            };
            foreach (var argument in command.Skip(1))
            {
                startInfo.ArgumentList.Add(argument);
            }

            InheritedDescriptors.MarkCloseOnExec();
            var process = Process.Start(startInfo) ?? throw new IOException($"could not start {command[0]}");
            return new ProcessExecSession(process, terminal);
        }
        catch
        {
            terminal?.Dispose();
            throw;
        }
    }

    /// <summary>Whether the program the session started (not necessarily the command itself) has exited.</summary>
    public bool HasExited => _process.HasExited;

    public void Resize(ushort columns, ushort rows) => _terminal?.Resize(columns, rows);

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
        _terminal?.Dispose();
    }
}
