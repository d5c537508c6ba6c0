using System.Net.WebSockets;
using System.Text;
using Gantry.Agent.Streaming;
using Gantry.Agent.Streaming.Spdy;
using Gantry.Agent.Streaming.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class PortForwardSessionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Answers one line with the port and the line upper-cased, then closes, like a tiny HTTP/1.0 server.</summary>
    private static readonly FakePortForwardTarget ShoutingPod = new(async (port, connection) =>
    {
        using var reader = new StreamReader(connection, leaveOpen: true);
        var line = await reader.ReadLineAsync();
        await connection.WriteAsync(Encoding.UTF8.GetBytes($"{port}:{line?.ToUpperInvariant()}\n"));
    });

    [Fact]
    public async Task Spdy_forwarding_relays_both_ways_and_finishes_both_streams_when_the_pod_closes()
    {
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("POST", string.Empty, serverEnd);
        context.Request.Headers.Upgrade = "SPDY/3.1";
        context.Request.Headers["X-Stream-Protocol-Version"] = "portforward.k8s.io";
        var running = PortForwardSession.RunAsync(context, ShoutingPod, NullLogger.Instance, CancellationToken.None);
        using var client = new SpdyTestClient(clientEnd);

        var received = await ForwardOneAsync(client, requestId: "0", port: "8080", "hello\n");
        await clientEnd.DisposeAsync();
        await running.WaitAsync(Patience);

        Assert.Equal("portforward.k8s.io", context.Response.Headers["X-Stream-Protocol-Version"]);
        Assert.Equal(("8080:HELLO\n", string.Empty), (received.Data, received.Error));
    }

    [Fact]
    public async Task Forwarding_tunnelled_in_a_WebSocket_carries_several_connections()
    {
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("GET", string.Empty, serverEnd);
        context.Request.Headers.Upgrade = "websocket";
        context.Request.Headers.SecWebSocketKey = "dGhlIHNhbXBsZSBub25jZQ==";
        context.Request.Headers.SecWebSocketVersion = "13";
        context.Request.Headers.SecWebSocketProtocol = "SPDY/3.1+portforward.k8s.io";
        var running = PortForwardSession.RunAsync(context, ShoutingPod, NullLogger.Instance, CancellationToken.None);
        var socket = WebSocket.CreateFromStream(clientEnd, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var tunnel = new WebSocketByteStream(socket);
        using var client = new SpdyTestClient(tunnel);

        var first = await ForwardOneAsync(client, requestId: "0", port: "80", "one\n", firstStream: 1);
        var second = await ForwardOneAsync(client, requestId: "1", port: "81", "two\n", firstStream: 5);
        await tunnel.DisposeAsync();
        await running.WaitAsync(Patience);

        Assert.Equal("SPDY/3.1+portforward.k8s.io", context.Response.Headers.SecWebSocketProtocol);
        Assert.Equal(("80:ONE\n", "81:TWO\n"), (first.Data, second.Data));
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_as_text_on_the_error_stream()
    {
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("POST", string.Empty, serverEnd);
        context.Request.Headers.Upgrade = "SPDY/3.1";
        context.Request.Headers["X-Stream-Protocol-Version"] = "portforward.k8s.io";
        var running = PortForwardSession.RunAsync(context, new RefusingPortForwardTarget(), NullLogger.Instance, CancellationToken.None);
        using var client = new SpdyTestClient(clientEnd);

        var received = await ForwardOneAsync(client, requestId: "0", port: "9", string.Empty);
        await clientEnd.DisposeAsync();
        await running.WaitAsync(Patience);

        Assert.Equal(string.Empty, received.Data);
        Assert.StartsWith("error forwarding port 9 to pod: ", received.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_without_a_request_id_are_reset()
    {
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("POST", string.Empty, serverEnd);
        context.Request.Headers.Upgrade = "SPDY/3.1";
        context.Request.Headers["X-Stream-Protocol-Version"] = "portforward.k8s.io";
        var running = PortForwardSession.RunAsync(context, ShoutingPod, NullLogger.Instance, CancellationToken.None);
        using var client = new SpdyTestClient(clientEnd);

        await client.OpenAsync(1, ("streamtype", "data"), ("port", "80"));
        await client.ExpectAsync<SpdySynReplyFrame>();
        var reset = await client.ExpectAsync<SpdyRstStreamFrame>();
        await clientEnd.DisposeAsync();
        await running.WaitAsync(Patience);

        Assert.Equal(new SpdyRstStreamFrame(1, SpdyStreamStatus.RefusedStream), reset);
    }

    /// <summary>Opens the error and data streams of one forwarded connection as kubectl does, sends, and collects until both are finished.</summary>
    private static async Task<(string Data, string Error)> ForwardOneAsync(
        SpdyTestClient client, string requestId, string port, string request, uint firstStream = 1)
    {
        var error = firstStream;
        var data = firstStream + 2;
        await client.OpenAsync(error, ("streamtype", "error"), ("port", port), ("requestid", requestId));
        await client.SendAsync(new SpdyDataFrame(error, ReadOnlyMemory<byte>.Empty, Fin: true));
        await client.OpenAsync(data, ("streamtype", "data"), ("port", port), ("requestid", requestId));
        if (request.Length > 0)
        {
            await client.SendAsync(new SpdyDataFrame(data, Encoding.UTF8.GetBytes(request), Fin: false));
        }

        var received = await client.CollectUntilFinishedAsync(data, error);
        await client.SendAsync(new SpdyDataFrame(data, ReadOnlyMemory<byte>.Empty, Fin: true));
        return (received[data], received[error]);
    }
}
