using Gantry.Agent.Runtimes;
using Gantry.Agent.Streaming;
using ExecRequest = Gantry.Agent.Streaming.ExecRequest;

namespace Gantry.Agent.Serving;

/// <summary>
/// A container's running main process, seen by <c>kubectl attach</c> as if it were an exec'd
/// command: its output from now on, its stdin when it has one, and an "exit" when the container
/// exits or the attach detaches. The log file interleaves stdout and stderr, so all output goes to
/// the client's stdout (its stderr when that is all it asked for).
/// </summary>
internal sealed class AttachedContainer : IExecProcess
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _detach = new();
    private readonly LogFollowStream _output;
    private readonly Func<CancellationToken, Task<bool>> _stillRunning;
    private readonly TimeProvider _time;

    public AttachedContainer(ExecRequest request, string logPath, StdinAttachment? stdin, Func<CancellationToken, Task<bool>> stillRunning, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        _stillRunning = stillRunning;
        _time = time;
        _output = new LogFollowStream(logPath, stillRunning, time, _detach.Token);
        StandardOutput = request.Stdout ? _output : null;
        StandardError = !request.Stdout && request.Stderr ? _output : null;
        StandardInput = stdin is null ? null : new DetachingStdin(stdin.Writer, stdin.EndsInput ? null : _detach);
    }

    public Stream? StandardInput { get; }

    public Stream? StandardOutput { get; }

    public Stream? StandardError { get; }

    /// <summary>Terminal sizes never come: attaching with a TTY is refused.</summary>
    public ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken) => ValueTask.CompletedTask;

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
        _detach.Dispose();
    }
}
