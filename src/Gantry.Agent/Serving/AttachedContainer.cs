using Gantry.Agent.Runtimes;
using Gantry.Agent.Streaming;
using ExecRequest = Gantry.Agent.Streaming.ExecRequest;

namespace Gantry.Agent.Serving;

/// <summary>
/// A container's running main process, seen by <c>kubectl attach</c> as if it were an exec'd
/// command: its output from now on, its stdin when it has one, and an "exit" when the container
/// exits or the attach detaches. Without a terminal the output is the log file followed, which
/// interleaves stdout and stderr, so all output goes to the client's stdout (its stderr when that is
/// all it asked for). With one (<c>tty: true</c>) it is the terminal's, live from the shim, and the
/// client's resizes reach the terminal.
/// </summary>
internal sealed class AttachedContainer : IExecProcess
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _detach = new();
    private readonly Stream _output;
    private readonly ContainerTerminal? _terminal;
    private readonly Func<CancellationToken, Task<bool>> _stillRunning;
    private readonly TimeProvider _time;

    public AttachedContainer(
        ExecRequest request, string logPath, ContainerTerminal? terminal, StdinAttachment? stdin, Func<CancellationToken, Task<bool>> stillRunning, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        _stillRunning = stillRunning;
        _time = time;
        _terminal = terminal;
        _output = terminal?.Output ?? new LogFollowStream(logPath, stillRunning, time, _detach.Token);
        if (terminal is not null)
        {
            _detach.Token.Register(terminal.EndOutput);
        }

        StandardOutput = request.Stdout ? _output : null;
        StandardError = !request.Stdout && request.Stderr ? _output : null;
        StandardInput = stdin is null ? null : new DetachingStdin(stdin.Writer, stdin.EndsInput ? null : _detach);
    }

    public Stream? StandardInput { get; }

    public Stream? StandardOutput { get; }

    public Stream? StandardError { get; }

    /// <summary>Sizes come only with a terminal, which kubectl asks for exactly when the container has one.</summary>
    public ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken) =>
        _terminal?.ResizeAsync(size.Width, size.Height, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Returns 0 (the attach, not the container, is what ends well) once the container exited or the attach detached.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _detach.Token);
        while (!_detach.IsCancellationRequested && await _stillRunning(cancellationToken))
        {
            try
            {
                await Task.Delay(Poll, _time, wake.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Detached.
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (StandardInput is not null)
        {
            await StandardInput.DisposeAsync();
        }

        await _output.DisposeAsync();
        if (_terminal is not null)
        {
            await _terminal.DisposeAsync();
        }

        _detach.Dispose();
    }
}
