using Gantry.Agent.Streaming.Spdy;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class SpdyConnectionTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly SpdyConnection _server;
    private readonly SpdyTestClient _client;
    private readonly Stream _clientEnd;

    public SpdyConnectionTests()
    {
        var (server, client) = PipeDuplexStream.CreatePair();
        _server = new SpdyConnection(server, NullLogger.Instance);
        _server.Start();
        _clientEnd = client;
        _client = new SpdyTestClient(client);
    }

    [Fact]
    public async Task Client_pings_are_echoed()
    {
        await _client.SendAsync(new SpdyPingFrame(1));

        Assert.Equal(new SpdyPingFrame(1), await _client.ReadAsync());
    }

    [Fact]
    public async Task Opened_streams_are_replied_to_and_accepted_with_their_headers()
    {
        await _client.OpenAsync(1, ("streamtype", "stdout"));

        var reply = await _client.ExpectAsync<SpdySynReplyFrame>();
        var stream = await AcceptAsync();
        Assert.Equal(1u, reply.StreamId);
        Assert.Equal((1u, "stdout"), (stream.Id, stream.Headers["streamtype"]));
    }

    [Fact]
    public async Task Data_then_fin_reads_as_the_bytes_then_end_of_stream()
    {
        await _client.OpenAsync(1, ("streamtype", "stdin"));
        var stream = await AcceptAsync();

        await _client.SendAsync(new SpdyDataFrame(1, "abc"u8.ToArray(), Fin: false));
        await _client.SendAsync(new SpdyDataFrame(1, "def"u8.ToArray(), Fin: true));

        using var reader = new StreamReader(stream);
        Assert.Equal("abcdef", await reader.ReadToEndAsync().WaitAsync(Patience));
    }

    [Fact]
    public async Task Writes_become_data_frames_and_closing_sends_fin()
    {
        await _client.OpenAsync(1, ("streamtype", "stdout"));
        await _client.ExpectAsync<SpdySynReplyFrame>();
        var stream = await AcceptAsync();

        await stream.WriteAsync("hi\n"u8.ToArray());
        await stream.CloseWriteAsync();

        Assert.Equal("hi\n", (await _client.CollectUntilFinishedAsync(1))[1]);
    }

    [Fact]
    public async Task Large_writes_are_split_into_frames_without_waiting_for_window_updates()
    {
        await _client.OpenAsync(1, ("streamtype", "stdout"));
        await _client.ExpectAsync<SpdySynReplyFrame>();
        var stream = await AcceptAsync();
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);

        var writing = Task.Run(async () =>
        {
            await stream.WriteAsync(payload);
            await stream.CloseWriteAsync();
        });
        var received = new MemoryStream();
        var largest = 0;
        while (await _client.ReadAsync() is SpdyDataFrame frame)
        {
            received.Write(frame.Data.Span);
            largest = Math.Max(largest, frame.Data.Length);
            if (frame.Fin)
            {
                break;
            }
        }

        await writing.WaitAsync(Patience);
        Assert.Equal(payload, received.ToArray());
        Assert.True(largest <= 32 * 1024);
    }

    [Fact]
    public async Task A_reset_from_the_client_fails_the_streams_reads()
    {
        await _client.OpenAsync(1, ("streamtype", "data"));
        var stream = await AcceptAsync();

        await _client.SendAsync(new SpdyRstStreamFrame(1, SpdyStreamStatus.Cancel));

        await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Stream_ids_that_are_even_or_not_increasing_are_refused()
    {
        await _client.OpenAsync(3, ("streamtype", "data"));
        await _client.ExpectAsync<SpdySynReplyFrame>();

        await _client.OpenAsync(2, ("streamtype", "data"));
        await _client.OpenAsync(3, ("streamtype", "data"));

        Assert.Equal(new SpdyRstStreamFrame(2, SpdyStreamStatus.ProtocolError), await _client.ReadAsync());
        Assert.Equal(new SpdyRstStreamFrame(3, SpdyStreamStatus.ProtocolError), await _client.ReadAsync());
    }

    [Fact]
    public async Task Goaway_from_the_client_ends_accepting()
    {
        await _client.SendAsync(new SpdyGoAwayFrame(0, SpdyGoAwayStatus.Ok));

        Assert.Null(await _server.AcceptStreamAsync(CancellationToken.None).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task The_client_leaving_closes_the_connection_and_fails_open_streams()
    {
        await _client.OpenAsync(1, ("streamtype", "data"));
        var stream = await AcceptAsync();

        await _clientEnd.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Timeout.Infinite, _server.Closed).WaitAsync(Patience));
        await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_malformed_frame_is_answered_with_goaway()
    {
        await _clientEnd.WriteAsync(new byte[] { 0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x03, 1, 2, 3 });

        var goAway = await _client.ExpectAsync<SpdyGoAwayFrame>();
        Assert.Equal(SpdyGoAwayStatus.ProtocolError, goAway.Status);
    }

    [Fact]
    public async Task Settings_and_window_updates_are_ignored()
    {
        await _client.SendAsync(new SpdySettingsFrame([new SpdySetting(7, 1)]));
        await _client.SendAsync(new SpdyWindowUpdateFrame(0, 1));
        await _client.SendAsync(new SpdyPingFrame(3));

        Assert.Equal(new SpdyPingFrame(3), await _client.ReadAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _client.Dispose();
        await _clientEnd.DisposeAsync();
    }

    private async Task<SpdyStream> AcceptAsync() =>
        await _server.AcceptStreamAsync(CancellationToken.None).AsTask().WaitAsync(Patience)
        ?? throw new InvalidOperationException("The connection ended instead.");
}
