using Gantry.Agent.Streaming.Spdy;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class SpdyFrameTests
{
    private static readonly Dictionary<string, string> PortForwardHeaders = new()
    {
        ["streamtype"] = "data",
        ["port"] = "8080",
        ["requestid"] = "0",
    };

    [Fact]
    public async Task Every_frame_type_survives_a_write_and_a_read()
    {
        SpdyFrame[] frames =
        [
            new SpdySynStreamFrame(1, 0, 3, PortForwardHeaders, Fin: true, Unidirectional: true),
            new SpdySynReplyFrame(1, new Dictionary<string, string>(), Fin: true),
            new SpdyHeadersFrame(3, new Dictionary<string, string> { ["x"] = "y" }),
            new SpdyRstStreamFrame(5, SpdyStreamStatus.Cancel),
            new SpdySettingsFrame([new SpdySetting(7, 65536, 1)], ClearSettings: true),
            new SpdyPingFrame(9),
            new SpdyGoAwayFrame(11, SpdyGoAwayStatus.ProtocolError),
            new SpdyWindowUpdateFrame(13, 4096),
        ];

        var read = await RoundTripAsync(frames);

        Assert.Equal(frames.Length, read.Count);
        var syn = Assert.IsType<SpdySynStreamFrame>(read[0]);
        Assert.Equal((1u, 0u, (byte)3, true, true), (syn.StreamId, syn.AssociatedStreamId, syn.Priority, syn.Fin, syn.Unidirectional));
        Assert.Equal(PortForwardHeaders, syn.Headers);
        var reply = Assert.IsType<SpdySynReplyFrame>(read[1]);
        Assert.Equal((1u, true, 0), (reply.StreamId, reply.Fin, reply.Headers.Count));
        Assert.Equal("y", Assert.IsType<SpdyHeadersFrame>(read[2]).Headers["x"]);
        Assert.Equal(frames[3], read[3]);
        var settings = Assert.IsType<SpdySettingsFrame>(read[4]);
        Assert.True(settings.ClearSettings);
        Assert.Equal(new SpdySetting(7, 65536, 1), Assert.Single(settings.Settings));
        Assert.Equal(frames[5..], read[5..]);
    }

    [Fact]
    public async Task Data_frames_carry_their_bytes_and_fin()
    {
        var read = await RoundTripAsync(
        [
            new SpdyDataFrame(3, "hello"u8.ToArray(), Fin: false),
            new SpdyDataFrame(3, ReadOnlyMemory<byte>.Empty, Fin: true),
        ]);

        var first = Assert.IsType<SpdyDataFrame>(read[0]);
        Assert.Equal((3u, false, "hello"), (first.StreamId, first.Fin, System.Text.Encoding.ASCII.GetString(first.Data.Span)));
        var last = Assert.IsType<SpdyDataFrame>(read[1]);
        Assert.Equal((3u, true, 0), (last.StreamId, last.Fin, last.Data.Length));
    }

    [Fact]
    public async Task Control_frames_use_the_spdy_3_layout()
    {
        var bytes = await WriteAsync(new SpdyPingFrame(1), new SpdyDataFrame(5, new byte[] { 0xAB }, Fin: true));

        Assert.Equal(
            new byte[] { 0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0xAB },
            bytes);
    }

    [Fact]
    public async Task Frames_split_across_reads_are_reassembled()
    {
        var bytes = await WriteAsync(new SpdySynStreamFrame(1, 0, 0, PortForwardHeaders), new SpdyDataFrame(1, new byte[300], Fin: true));
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new TricklingStream(bytes), decompressor);

        Assert.Equal(PortForwardHeaders, Assert.IsType<SpdySynStreamFrame>(await reader.ReadAsync(CancellationToken.None)).Headers);
        Assert.Equal(300, Assert.IsType<SpdyDataFrame>(await reader.ReadAsync(CancellationToken.None)).Data.Length);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_control_frames_are_skipped()
    {
        byte[] credential = [0x80, 0x03, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFF];
        var ping = await WriteAsync(new SpdyPingFrame(7));
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new MemoryStream([.. credential, .. ping]), decompressor);

        Assert.Equal(new SpdyPingFrame(7), await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Other_spdy_versions_are_a_protocol_error()
    {
        byte[] spdy2Ping = [0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01];
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new MemoryStream(spdy2Ping), decompressor);

        await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_connection_cut_inside_a_frame_is_not_a_clean_end()
    {
        var ping = await WriteAsync(new SpdyPingFrame(7));
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new MemoryStream(ping[..10]), decompressor);

        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
    }

    private static async Task<byte[]> WriteAsync(params SpdyFrame[] frames)
    {
        using var compressor = new SpdyHeaderCompressor();
        using var wire = new MemoryStream();
        var writer = new SpdyFrameWriter(wire, compressor);
        foreach (var frame in frames)
        {
            await writer.WriteAsync(frame, CancellationToken.None);
        }

        return wire.ToArray();
    }

    private static async Task<List<SpdyFrame>> RoundTripAsync(SpdyFrame[] frames)
    {
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new MemoryStream(await WriteAsync(frames)), decompressor);
        var read = new List<SpdyFrame>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            read.Add(frame);
        }

        return read;
    }
}
