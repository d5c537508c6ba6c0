namespace Gantry.Agent.Streaming;

/// <summary>
/// The resizes of an exec on a terminal, taken from before its command starts: the first, which kubectl sends as the
/// streams open, sizes the terminal the command starts on (else it starts at 0 × 0 and learns its size from a SIGWINCH
/// a moment later, after a <c>stty size</c> or a first screen has read it); later ones reach the command once it runs.
/// </summary>
internal sealed class TerminalResizes
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TerminalSize? _last;
    private IExecProcess? _process;

    /// <summary>The first size, once it came or <paramref name="patience"/> has passed; null when none came.</summary>
    public async Task<TerminalSize?> FirstAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        try
        {
            await _first.Task.WaitAsync(patience, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Started without one: a size that comes later goes to the command as a resize.
        }

        lock (_lock)
        {
            return _last;
        }
    }

    /// <summary>The command runs: sizes go to it from now on, and one that came after <paramref name="startedWith"/> was read goes at once.</summary>
    public async ValueTask AttachAsync(IExecProcess process, TerminalSize? startedWith, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        TerminalSize? missed;
        lock (_lock)
        {
            _process = process;
            missed = _last != startedWith ? _last : null;
        }

        if (missed is { } size)
        {
            await process.ResizeAsync(size, cancellationToken);
        }
    }

    public async ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        IExecProcess? process;
        lock (_lock)
        {
            _last = size;
            process = _process;
        }

        _first.TrySetResult();
        if (process is not null)
        {
            await process.ResizeAsync(size, cancellationToken);
        }
    }
}
