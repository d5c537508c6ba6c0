using Gantry.Agent.IO;
using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Serving;

/// <summary>
/// What a container writes to its log from the moment this stream is opened, as a readable stream
/// that ends once the container has exited (after what it wrote last) or the attach detaches.
/// The log file is the only record of a workload's output (workloads never write to the agent), so
/// attaching to "the main process's output" means following that file, as <c>kubectl logs -f</c> does, and
/// handing out the records' contents.
/// </summary>
internal sealed class LogFollowStream : ReadOnlyStream
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;
    private readonly ContainerLogDecoder _decoder = new(new ContainerLogView());
    private readonly Func<CancellationToken, Task<bool>> _stillRunning;
    private readonly TimeProvider _time;
    private readonly CancellationToken _detached;
    private ReadOnlyMemory<byte> _pending;
    private bool _lastPass;

    /// <param name="path">The container's log file.</param>
    /// <param name="stillRunning">Whether the container still runs; once false, one more read delivers its last output.</param>
    /// <param name="time">The clock for polling the file.</param>
    /// <param name="detached">Ends the stream at once, whatever the container does.</param>
    public LogFollowStream(string path, Func<CancellationToken, Task<bool>> stillRunning, TimeProvider time, CancellationToken detached)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _file.Position = _file.Length;
        _stillRunning = stillRunning;
        _time = time;
        _detached = detached;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_detached.IsCancellationRequested)
        {
            if (!_pending.IsEmpty || !_decoder.Output.IsEmpty)
            {
                return TakeOutput(buffer.Span);
            }

            var read = await _file.ReadAsync(_decoder.InputSpace(), cancellationToken);
            if (read > 0)
            {
                _decoder.Decode(read);
                continue;
            }

            if (_lastPass)
            {
                _decoder.Finish();
                return _decoder.Output.IsEmpty ? 0 : TakeOutput(buffer.Span);
            }

            if (!await _stillRunning(cancellationToken))
            {
                _lastPass = true;
                continue;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _detached);
            try
            {
                await Task.Delay(Poll, _time, wake.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Detached: the loop ends.
            }
        }

        return 0;
    }

    /// <summary>Hands out decoded output, keeping what does not fit for the next read.</summary>
    private int TakeOutput(Span<byte> buffer)
    {
        if (_pending.IsEmpty)
        {
            _pending = _decoder.Output.ToArray();
            _decoder.TakeOutput();
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
