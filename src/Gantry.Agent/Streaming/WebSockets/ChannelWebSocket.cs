using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace Gantry.Agent.Streaming.WebSockets;

/// <summary>
/// The Kubernetes channel protocols over one WebSocket (v4.channel.k8s.io, v5.channel.k8s.io):
/// every binary message starts with a channel byte. Incoming channels are demultiplexed into
/// readable <see cref="WebSocketChannelStream"/>s; outgoing ones prefix each write with their byte.
/// In v5 a client message <c>[0xFF, channel]</c> closes that channel (kubectl sends it when stdin ends).
/// </summary>
internal sealed class ChannelWebSocket : IAsyncDisposable
{
    public const byte CloseSignal = 0xFF;

    private const int MaxMessagePayload = 32 * 1024;
    private const long PauseThreshold = 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly bool _closeSignals;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<byte, Pipe> _inputs = [];
    private readonly CancellationTokenSource _clientGone = new();
    private Task? _receiving;

    /// <param name="socket">An open WebSocket; this object owns it from now on.</param>
    /// <param name="closeSignals">True for v5.channel.k8s.io, where <c>[0xFF, channel]</c> closes a channel.</param>
    public ChannelWebSocket(WebSocket socket, bool closeSignals)
    {
        _socket = socket;
        _closeSignals = closeSignals;
    }

    /// <summary>Cancelled once the client has closed the WebSocket or the connection failed.</summary>
    public CancellationToken ClientGone => _clientGone.Token;

    /// <summary>A readable stream of what the client sends on <paramref name="channel"/>; open all inputs before <see cref="Start"/>.</summary>
    public WebSocketChannelStream OpenInput(byte channel)
    {
        if (_receiving is not null)
        {
            throw new InvalidOperationException("Inputs must be opened before the WebSocket is read.");
        }

        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: PauseThreshold,
            resumeWriterThreshold: PauseThreshold / 2,
            useSynchronizationContext: false));
        _inputs.Add(channel, pipe);
        return WebSocketChannelStream.ForInput(channel, pipe.Reader);
    }

    /// <summary>A writable stream whose writes reach the client as messages on <paramref name="channel"/>.</summary>
    public WebSocketChannelStream OpenOutput(byte channel) => WebSocketChannelStream.ForOutput(this, channel);

    /// <summary>Starts reading the WebSocket; the task completes when the client closes it or the connection fails.</summary>
    public Task Start()
    {
        if (_receiving is not null)
        {
            throw new InvalidOperationException("The WebSocket is already being read.");
        }

        _receiving = Task.Run(ReceiveLoopAsync);
        return _receiving;
    }

    /// <summary>Sends <paramref name="data"/> on <paramref name="channel"/>, in messages of at most 32 KiB.</summary>
    public async ValueTask SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var message = ArrayPool<byte>.Shared.Rent(1 + Math.Min(data.Length, MaxMessagePayload));
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            message[0] = channel;
            do
            {
                var chunk = data[..Math.Min(data.Length, MaxMessagePayload)];
                chunk.CopyTo(message.AsMemory(1));
                await _socket.SendAsync(message.AsMemory(0, 1 + chunk.Length), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                data = data[chunk.Length..];
            }
            while (!data.IsEmpty);
        }
        finally
        {
            _sendLock.Release();
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>
    /// Sends a normal Close and waits up to <paramref name="linger"/> for the client's, which kubectl
    /// sends once it has read everything; only then is the connection torn down.
    /// </summary>
    public async Task CloseAsync(TimeSpan linger, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }

        if (_receiving is not null)
        {
            try
            {
                // Not cancellable: the client leaving is exactly what this waits for.
                await _receiving.WaitAsync(linger, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // The client never answered; DisposeAsync aborts the connection.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            _socket.Abort();
        }

        // The receive loop may be waiting for a reader that will never come back to an input.
        foreach (var input in _inputs.Values)
        {
            input.Writer.CancelPendingFlush();
        }

        if (_receiving is not null)
        {
            await _receiving;
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        // The channel of the message being received: None between messages, Discard for the rest of a close signal.
        const int None = -1;
        const int Discard = -2;
        var channel = None;
        var closed = new HashSet<byte>();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var data = buffer.AsMemory(0, result.Count);
                if (channel == None && !data.IsEmpty)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }

                if (channel == CloseSignal && _closeSignals)
                {
                    if (!data.IsEmpty)
                    {
                        Complete(data.Span[0], closed);
                        channel = Discard;
                    }
                }
                else if (channel >= 0 && !data.IsEmpty && !closed.Contains((byte)channel) && _inputs.TryGetValue((byte)channel, out var input))
                {
                    await input.Writer.WriteAsync(data);
                }

                if (result.EndOfMessage)
                {
                    channel = None;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client vanished without a Close; the inputs end below all the same.
        }
        finally
        {
            foreach (var input in _inputs.Keys)
            {
                Complete(input, closed);
            }

            await _clientGone.CancelAsync();
        }
    }

    private void Complete(byte channel, HashSet<byte> closed)
    {
        if (closed.Add(channel) && _inputs.TryGetValue(channel, out var input))
        {
            input.Writer.Complete();
        }
    }
}
