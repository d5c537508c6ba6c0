using System.Buffers;
using System.IO.Pipelines;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// One stream of a <see cref="SpdyConnection"/> as a duplex byte stream. Reading ends (returns 0)
/// when the peer half-closes with FIN; <see cref="CloseWriteAsync"/> half-closes our side.
/// Disposing half-closes our side and discards whatever the peer still sends.
/// </summary>
/// <remarks>
/// Only the asynchronous members are supported. Reads must not run concurrently with each other or
/// with disposal; writes may run concurrently with reads.
/// </remarks>
internal sealed class SpdyStream : Stream
{
    // Bytes to buffer before the connection stops reading: kubectl ignores SPDY flow control, so
    // the only back-pressure is to stop reading the whole connection, as Go's spdystream does.
    private const long PauseThreshold = 1024 * 1024;
    private const int MaxFramePayload = 32 * 1024;

    private readonly SpdyConnection _connection;
    private readonly Pipe _inbound = new(new PipeOptions(
        pauseWriterThreshold: PauseThreshold,
        resumeWriterThreshold: PauseThreshold / 2,
        useSynchronizationContext: false));

    private int _localFinished;
    private int _readerCompleted;
    private volatile bool _remoteFinished;
    private volatile bool _reset;

    internal SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers, bool localFinished)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
        _localFinished = localFinished ? 1 : 0;
    }

    public uint Id { get; }

    /// <summary>The headers of the peer's SYN_STREAM; names are lower-case and lookups ignore case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    internal bool LocalFinished => Volatile.Read(ref _localFinished) == 1;

    internal bool RemoteFinished => _remoteFinished;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var result = await _inbound.Reader.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var count = (int)Math.Min(data.Length, buffer.Length);
                data.Slice(0, count).CopyTo(buffer.Span);
                _inbound.Reader.AdvanceTo(data.GetPosition(count));
                return count;
            }

            _inbound.Reader.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            ThrowIfCannotWrite();
            var chunk = buffer[..Math.Min(buffer.Length, MaxFramePayload)];
            await _connection.SendAsync(new SpdyDataFrame(Id, chunk, Fin: false), cancellationToken);
            buffer = buffer[chunk.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>Sends FIN: the peer reads end-of-stream after everything written so far.</summary>
    public async ValueTask CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        if (_reset || Interlocked.Exchange(ref _localFinished, 1) == 1)
        {
            return;
        }

        await _connection.SendAsync(new SpdyDataFrame(Id, ReadOnlyMemory<byte>.Empty, Fin: true), cancellationToken);
        _connection.Forget(this);
    }

    /// <summary>Ends the stream in both directions with RST_STREAM.</summary>
    public async ValueTask ResetAsync(SpdyStreamStatus status, CancellationToken cancellationToken = default)
    {
        if (_reset)
        {
            return;
        }

        _reset = true;
        Interlocked.Exchange(ref _localFinished, 1);
        CompleteReader();
        _connection.Forget(this, force: true);
        await _connection.SendAsync(new SpdyRstStreamFrame(Id, status), cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        CompleteReader();
        await CloseWriteQuietlyAsync();
        await base.DisposeAsync();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("SPDY streams are asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("SPDY streams are asynchronous only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Called by the connection's read loop only, one call at a time.</summary>
    internal async ValueTask DeliverAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_remoteFinished)
        {
            return;
        }

        // A completed reader means nobody will read: the flush returns at once and the bytes are dropped.
        await _inbound.Writer.WriteAsync(data, cancellationToken);
    }

    /// <summary>The peer sent FIN; called by the connection's read loop only.</summary>
    internal void FinishRemote()
    {
        if (_remoteFinished)
        {
            return;
        }

        _remoteFinished = true;
        _inbound.Writer.Complete();
    }

    /// <summary>The peer reset the stream or the connection ended; called by the connection's read loop only.</summary>
    internal void Abort(IOException reason)
    {
        if (_remoteFinished)
        {
            return;
        }

        _remoteFinished = true;
        _reset = true;
        _inbound.Writer.Complete(reason);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CompleteReader();
            // A synchronous caller cannot wait for the FIN to be written; it still goes out.
            if (!LocalFinished)
            {
                _ = CloseWriteQuietlyAsync();
            }
        }

        base.Dispose(disposing);
    }

    private async Task CloseWriteQuietlyAsync()
    {
        try
        {
            await CloseWriteAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the peer cannot be told, and needs no telling.
        }
    }

    private void CompleteReader()
    {
        if (Interlocked.Exchange(ref _readerCompleted, 1) == 0)
        {
            _inbound.Reader.Complete();
        }
    }

    private void ThrowIfCannotWrite()
    {
        if (_reset)
        {
            throw new IOException($"SPDY stream {Id} was reset.");
        }

        if (LocalFinished)
        {
            throw new InvalidOperationException($"SPDY stream {Id} is closed for writing.");
        }
    }
}
