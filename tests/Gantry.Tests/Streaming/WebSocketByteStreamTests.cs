using Gantry.Agent.Streaming.Spdy;
using Gantry.Agent.Streaming.WebSockets;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class WebSocketByteStreamTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebSocketPair _pair = new();

    [Fact]
    public async Task A_spdy_frame_split_across_messages_reads_as_one_frame()
    {
        await using var stream = new WebSocketByteStream(_pair.Server);
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(stream, decompressor);
        byte[] ping = [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05];

        await _pair.SendAsync(ping[..3]);
        await _pair.SendAsync();
        await _pair.SendAsync(ping[3..]);

        Assert.Equal(new SpdyPingFrame(5), await reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Each_write_is_one_binary_message()
    {
        await using var stream = new WebSocketByteStream(_pair.Server);

        await stream.WriteAsync("frame one"u8.ToArray());
        await stream.WriteAsync("frame two"u8.ToArray());

        Assert.Equal("frame one"u8.ToArray(), (await _pair.ReceiveAsync()).Payload);
        Assert.Equal("frame two"u8.ToArray(), (await _pair.ReceiveAsync()).Payload);
    }

    [Fact]
    public async Task The_clients_close_is_the_end_of_the_stream()
    {
        await using var stream = new WebSocketByteStream(_pair.Server);

        await _pair.SendAsync((byte)'x');
        await _pair.Client.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        var buffer = new byte[8];
        Assert.Equal(1, await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience));
        Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience));
    }

    public void Dispose() => _pair.Dispose();
}
