using System.Net.WebSockets;
using Gantry.Agent.Streaming.WebSockets;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Exec over a channel WebSocket (v4/v5.channel.k8s.io). The outcome goes on channel 3 as a Status,
/// followed by a normal Close, which is how kubectl learns that stdout and stderr are complete.
/// </summary>
internal sealed class WebSocketExecChannels : IExecChannels
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    private readonly ChannelWebSocket _socket;
    private readonly WebSocketChannelStream _error;

    public WebSocketExecChannels(WebSocket socket, string protocol, ExecRequest request)
    {
        _socket = new ChannelWebSocket(socket, closeSignals: protocol == StreamProtocols.V5);
        Stdin = request.Stdin ? _socket.OpenInput(StreamTypes.StdinChannel) : null;
        Resize = request.Tty ? _socket.OpenInput(StreamTypes.ResizeChannel) : null;
        Stdout = request.Stdout ? _socket.OpenOutput(StreamTypes.StdoutChannel) : null;
        Stderr = request.Stderr ? _socket.OpenOutput(StreamTypes.StderrChannel) : null;
        _error = _socket.OpenOutput(StreamTypes.ErrorChannel);
        _socket.Start();
    }

    public Stream? Stdin { get; }

    public Stream? Resize { get; }

    public Stream? Stdout { get; }

    public Stream? Stderr { get; }

    public CancellationToken ClientGone => _socket.ClientGone;

    public async Task FinishAsync(ExecStatus status, CancellationToken cancellationToken)
    {
        await _error.WriteAsync(status.ToJson(), cancellationToken);
        await _socket.CloseAsync(Linger, cancellationToken);
    }

    public ValueTask DisposeAsync() => _socket.DisposeAsync();
}
