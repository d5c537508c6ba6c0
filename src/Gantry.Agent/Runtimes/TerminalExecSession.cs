using System.Diagnostics;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// An exec session on a pseudo-terminal of the agent's (<see cref="PseudoTerminal"/>): the command runs in a session of
/// its own with the terminal as its controlling terminal, stdin, stdout and stderr, so that line editing, job control
/// and the window size the client sends all work. For a runc exec, runc passes the size on to the container's own
/// terminal when the kernel signals it the change.
/// </summary>
internal sealed class TerminalExecSession : IExecSession
{
    private readonly PseudoTerminal _terminal;
    private readonly Process _process;

    private TerminalExecSession(PseudoTerminal terminal, Process process)
    {
        _terminal = terminal;
        _process = process;
        Stdout = new TerminalOutput(terminal.Master);
    }

    public Stream Stdin => _terminal.Master;

    public Stream Stdout { get; }

    /// <summary>Empty: the terminal carries the command's stderr in its output.</summary>
    public Stream Stderr => Stream.Null;

    public static IExecSession Start(IReadOnlyList<string> argv)
    {
        var terminal = PseudoTerminal.Open();
        try
        {
            // The shell opens the terminal as the command's stdio; setsid(1) then makes it the controlling terminal of a
            // new session, and waits for the command if it had to fork to lead one.
            var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (var argument in (string[])["-c", "exec setsid --ctty --wait \"$@\" <>\"$0\" >&0 2>&0", terminal.TerminalPath, .. argv])
            {
                startInfo.ArgumentList.Add(argument);
            }

            InheritedDescriptors.MarkCloseOnExec();
            var process = Process.Start(startInfo) ?? throw new IOException($"could not start {argv[0]}");
            return new TerminalExecSession(terminal, process);
        }
        catch
        {
            terminal.Dispose();
            throw;
        }
    }

    public void Resize(ushort columns, ushort rows) => _terminal.Resize(columns, rows);

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
        _terminal.Dispose();
    }

    /// <summary>The master's output, which ends (EIO) once no process has the terminal open any more.</summary>
    private sealed class TerminalOutput(FileStream master) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await master.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                return 0;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
