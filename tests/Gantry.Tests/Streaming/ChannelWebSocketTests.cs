using System.Net.WebSockets;
using Gantry.Agent.Streaming.WebSockets;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class ChannelWebSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebSocketPair _pair = new();

    [Fact]
    public async Task Output_writes_arrive_as_binary_messages_led_by_the_channel_byte()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        var stdout = socket.OpenOutput(1);
        var stderr = socket.OpenOutput(2);
        _ = socket.Start();

        await stdout.WriteAsync("hi\n"u8.ToArray());
        await stderr.WriteAsync("oops"u8.ToArray());

        var first = await _pair.ReceiveAsync();
        var second = await _pair.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Binary, first.Type);
        Assert.Equal([1, .. "hi\n"u8], first.Payload);
        Assert.Equal([2, .. "oops"u8], second.Payload);
    }

    [Fact]
    public async Task Large_writes_are_split_into_messages_of_at_most_32_KiB()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        var stdout = socket.OpenOutput(1);
        _ = socket.Start();

        var writing = stdout.WriteAsync(new byte[40_000]).AsTask();
        var first = await _pair.ReceiveAsync();
        var second = await _pair.ReceiveAsync();
        await writing.WaitAsync(Patience);

        Assert.Equal((1, 1 + (32 * 1024)), (first.Payload[0], first.Payload.Length));
        Assert.Equal((1, 1 + 40_000 - (32 * 1024)), (second.Payload[0], second.Payload.Length));
    }

    [Fact]
    public async Task Client_messages_reach_the_input_of_their_channel_until_the_v5_close_signal()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        var stdin = socket.OpenInput(0);
        var resize = socket.OpenInput(4);
        _ = socket.Start();

        await _pair.SendAsync(0, (byte)'a', (byte)'b');
        await _pair.SendAsync(7, (byte)'?');
        await _pair.SendAsync(0, (byte)'c');
        await _pair.SendAsync(ChannelWebSocket.CloseSignal, 0);
        await _pair.SendAsync(0, (byte)'!');
        await _pair.SendAsync(4, (byte)'{', (byte)'}');

        Assert.Equal("abc", await ReadToEndAsync(stdin));
        var buffer = new byte[2];
        await resize.ReadExactlyAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal("{}"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Before_v5_the_close_signal_byte_is_just_an_unknown_channel()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: false);
        var stdin = socket.OpenInput(0);
        _ = socket.Start();

        await _pair.SendAsync(ChannelWebSocket.CloseSignal, 0);
        await _pair.SendAsync(0, (byte)'z');
        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Equal("z", await ReadToEndAsync(stdin));
    }

    [Fact]
    public async Task Only_the_first_fragment_of_a_message_carries_the_channel()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        var stdin = socket.OpenInput(0);
        _ = socket.Start();

        await _pair.SendAsync([0, (byte)'a'], endOfMessage: false);
        await _pair.SendAsync([(byte)'b'], endOfMessage: true);
        await _pair.SendAsync(ChannelWebSocket.CloseSignal, 0);

        Assert.Equal("ab", await ReadToEndAsync(stdin));
    }

    [Fact]
    public async Task The_client_closing_ends_every_input_and_reports_the_client_gone()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        var stdin = socket.OpenInput(0);
        var receiving = socket.Start();

        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Equal(string.Empty, await ReadToEndAsync(stdin));
        await receiving.WaitAsync(Patience);
        Assert.True(socket.ClientGone.IsCancellationRequested);
    }

    [Fact]
    public async Task Closing_sends_a_normal_close_and_waits_for_the_clients()
    {
        await using var socket = new ChannelWebSocket(_pair.Server, closeSignals: true);
        _ = socket.Start();

        var closing = socket.CloseAsync(Patience, CancellationToken.None);
        var (type, _) = await _pair.ReceiveAsync();
        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await closing.WaitAsync(Patience);

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _pair.Client.CloseStatus);
        Assert.True(socket.ClientGone.IsCancellationRequested);
    }

    public void Dispose() => _pair.Dispose();

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync().WaitAsync(Patience);
    }
}
