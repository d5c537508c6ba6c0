namespace Gantry.Agent.Serving;

/// <summary>
/// What a container writes to its log from the moment this stream is opened, as a readable stream
/// that ends once the container has exited (after what it wrote last) or the attach detaches.
/// The log file is the only record of a workload's output (workloads never write to the agent), so
/// attaching to "the main process's output" means following that file, as <c>kubectl logs -f</c> does.
/// </summary>
internal sealed class LogFollowStream : Stream
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;
    private readonly Func<CancellationToken, Task<bool>> _stillRunning;
    private readonly TimeProvider _time;
    private readonly CancellationToken _detached;
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
        while (!_detached.IsCancellationRequested)
        {
            var read = await _file.ReadAsync(buffer, cancellationToken);
            if (read > 0 || _lastPass)
            {
                return read;
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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
