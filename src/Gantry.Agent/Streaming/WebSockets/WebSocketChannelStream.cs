using System.Buffers;
using System.IO.Pipelines;

namespace Gantry.Agent.Streaming.WebSockets;

/// <summary>
/// One channel of a <see cref="ChannelWebSocket"/>: readable for a channel the client sends on
/// (stdin, resize), writable for one the server sends on (stdout, stderr, error).
/// </summary>
/// <remarks>
/// Disposing an output sends nothing: the channel protocols have no server-to-client close signal,
/// and kubectl learns that its outputs ended from the close of the whole WebSocket.
/// </remarks>
internal sealed class WebSocketChannelStream : Stream
{
    private readonly ChannelWebSocket? _owner;
    private readonly PipeReader? _input;
    private int _inputCompleted;

    private WebSocketChannelStream(byte channel, ChannelWebSocket? owner, PipeReader? input)
    {
        Channel = channel;
        _owner = owner;
        _input = input;
    }

    public byte Channel { get; }

    public override bool CanRead => _input is not null;

    public override bool CanWrite => _owner is not null;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    internal static WebSocketChannelStream ForInput(byte channel, PipeReader input) => new(channel, null, input);

    internal static WebSocketChannelStream ForOutput(ChannelWebSocket owner, byte channel) => new(channel, owner, null);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var input = _input ?? throw new NotSupportedException($"Channel {Channel} is written by the server, not read.");
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var count = (int)Math.Min(data.Length, buffer.Length);
                data.Slice(0, count).CopyTo(buffer.Span);
                input.AdvanceTo(data.GetPosition(count));
                return count;
            }

            input.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var owner = _owner ?? throw new NotSupportedException($"Channel {Channel} is read by the server, not written.");
        return buffer.IsEmpty ? ValueTask.CompletedTask : owner.SendAsync(Channel, buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("WebSocket channels are asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("WebSocket channels are asynchronous only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A finished reader makes the receive loop drop what still arrives on this channel.
        if (disposing && _input is not null && Interlocked.Exchange(ref _inputCompleted, 1) == 0)
        {
            _input.Complete();
        }

        base.Dispose(disposing);
    }
}
