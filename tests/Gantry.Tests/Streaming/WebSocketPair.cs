using System.Net.WebSockets;

namespace Gantry.Tests.Streaming;

/// <summary>A server and a client WebSocket joined in memory, past the HTTP handshake.</summary>
internal sealed class WebSocketPair : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public WebSocketPair()
    {
        var (server, client) = PipeDuplexStream.CreatePair();
        Server = WebSocket.CreateFromStream(server, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        Client = WebSocket.CreateFromStream(client, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public Task SendAsync(params byte[] message) => SendAsync(message, endOfMessage: true);

    public Task SendAsync(byte[] message, bool endOfMessage) =>
        Client.SendAsync(message, WebSocketMessageType.Binary, endOfMessage, CancellationToken.None).WaitAsync(Patience);

    /// <summary>The next whole message the client receives, and its type.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
