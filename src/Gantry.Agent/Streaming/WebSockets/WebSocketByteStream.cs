using System.Net.WebSockets;

namespace Gantry.Agent.Streaming.WebSockets;

/// <summary>
/// A WebSocket seen as one continuous byte stream: binary messages are concatenated on read, and
/// every write goes out as one binary message. kubectl 1.31+ tunnels SPDY for port-forwarding this
/// way, and a SPDY frame may be split across messages, so message boundaries carry no meaning.
/// </summary>
/// <remarks>
/// Reading ends (returns 0) when the peer sends its Close frame. Pings are answered by the WebSocket
/// itself while a read is pending.
/// </remarks>
internal sealed class WebSocketByteStream(WebSocket socket) : Stream
{
    private bool _closeReceived;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_closeReceived)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closeReceived = true;
                break;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new InvalidDataException("A tunnelling WebSocket carries binary messages only.");
            }

            if (result.Count > 0)
            {
                return result.Count;
            }
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.SendAsync(buffer, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>Completes the closing handshake (or starts it) and releases the WebSocket.</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection is already gone.
        }

        await base.DisposeAsync();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("WebSocket byte streams are asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("WebSocket byte streams are asynchronous only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
