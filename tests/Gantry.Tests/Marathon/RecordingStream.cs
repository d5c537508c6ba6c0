using System.Text;
using System.Threading.Channels;

namespace Gantry.Tests.Marathon;

/// <summary>A response body that hands each write over as text, so a test awaits what a stream wrote instead of polling for it.</summary>
internal sealed class RecordingStream : Stream
{
    private readonly Channel<string> _writes = Channel.CreateUnbounded<string>();

    public ChannelReader<string> Writes => _writes.Reader;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _writes.Writer.TryWrite(Encoding.UTF8.GetString(buffer, offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _writes.Writer.TryWrite(Encoding.UTF8.GetString(buffer.Span));
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
