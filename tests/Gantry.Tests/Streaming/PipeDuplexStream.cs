using System.IO.Pipelines;

namespace Gantry.Tests.Streaming;

/// <summary>One end of an in-memory connection: reads what the other end writes, and disposing it ends the other end's reads.</summary>
internal sealed class PipeDuplexStream(PipeReader input, PipeWriter output) : Stream
{
    private readonly Stream _reader = input.AsStream();
    private readonly Stream _writer = output.AsStream();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static (Stream Server, Stream Client) CreatePair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new PipeDuplexStream(toServer.Reader, toClient.Writer), new PipeDuplexStream(toClient.Reader, toServer.Writer));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writer.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public override void Flush() => _writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // Like a socket: the peer reads end-of-stream, and a read pending here is abandoned.
        if (disposing)
        {
            output.Complete();
            input.CancelPendingRead();
        }

        base.Dispose(disposing);
    }
}
