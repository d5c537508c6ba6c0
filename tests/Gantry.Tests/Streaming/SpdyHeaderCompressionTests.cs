using Gantry.Agent.Streaming.Spdy;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class SpdyHeaderCompressionTests
{
    // The first frames kubectl 1.27 sent on `kubectl exec x -- echo hi`: SYN_STREAM for the error,
    // stdout and stderr streams, their header blocks one continuous zlib stream with the SPDY dictionary.
    private const string KubectlExecStreams =
        "80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff"
        + "800300010000001900000003000000000000c22ac5565c92925f5a02000000ffff"
        + "800300010000001500000005000000000000c229975a5404000000ffff";

    // The first frames kubectl 1.27 sent on `kubectl port-forward pod/x 18080:8080` for one connection.
    private const string KubectlPortForwardStreams =
        "800300010000003e0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c60616061c0c0c0c0590489c64c50f2663400000000ffff"
        + "800300010000001a00000003000000000000826a26ac0ad57850499508000000ffff";

    [Fact]
    public void The_dictionary_is_the_spdy_3_dictionary()
    {
        Assert.Equal(1423, SpdyDictionary.Pinned.Length);
        // zlib identifies a preset dictionary by its Adler-32; 0xE3C6A7C2 is the one kubectl's frames name.
        Assert.Equal(0xE3C6A7C2u, Adler32(SpdyDictionary.Pinned));
    }

    [Fact]
    public async Task Header_blocks_from_kubectl_exec_inflate_with_the_dictionary()
    {
        var frames = await ReadAllAsync(Convert.FromHexString(KubectlExecStreams));

        Assert.Equal(
            ["error", "stdout", "stderr"],
            frames.Cast<SpdySynStreamFrame>().Select(frame => frame.Headers["streamtype"]));
        Assert.Equal([1u, 3u, 5u], frames.Cast<SpdySynStreamFrame>().Select(frame => frame.StreamId));
    }

    [Fact]
    public async Task Header_blocks_from_kubectl_port_forward_carry_port_and_request_id()
    {
        var frames = (await ReadAllAsync(Convert.FromHexString(KubectlPortForwardStreams))).Cast<SpdySynStreamFrame>().ToList();

        Assert.Equal(
            new Dictionary<string, string> { ["streamtype"] = "error", ["port"] = "8080", ["requestid"] = "0" },
            frames[0].Headers);
        Assert.Equal(
            new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "8080", ["requestid"] = "0" },
            frames[1].Headers);
    }

    [Fact]
    public void Compressed_blocks_announce_the_dictionary_like_gos_framer()
    {
        using var compressor = new SpdyHeaderCompressor();
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        compressor.Compress(new Dictionary<string, string>(), output);

        var block = output.WrittenSpan;
        Assert.Equal(0x78, block[0]);
        Assert.True((block[1] & 0x20) != 0, "FDICT must be set");
        Assert.Equal(0, ((block[0] << 8) | block[1]) % 31);
        Assert.Equal(new byte[] { 0xE3, 0xC6, 0xA7, 0xC2 }, block[2..6].ToArray());
        Assert.Equal(new byte[] { 0x00, 0x00, 0xFF, 0xFF }, block[^4..].ToArray());
    }

    [Fact]
    public void Blocks_stay_decodable_one_after_another_on_one_stream()
    {
        using var compressor = new SpdyHeaderCompressor();
        using var decompressor = new SpdyHeaderDecompressor();
        var large = new string('x', 20_000);

        for (var i = 0; i < 50; i++)
        {
            var headers = new Dictionary<string, string> { ["streamtype"] = i % 2 == 0 ? "data" : "error", ["requestid"] = $"{i}", ["big"] = large };
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            compressor.Compress(headers, output);

            Assert.Equal(headers, decompressor.Decompress(output.WrittenSpan));
        }
    }

    [Fact]
    public void Names_go_out_in_lower_case()
    {
        var block = SpdyHeaderBlock.Encode(new Dictionary<string, string> { ["StreamType"] = "data" });

        Assert.Equal("streamtype"u8.ToArray(), block[8..18]);
    }

    [Fact]
    public void Repeated_names_keep_every_value_nul_separated()
    {
        byte[] block = [0, 0, 0, 2, 0, 0, 0, 1, (byte)'a', 0, 0, 0, 1, (byte)'1', 0, 0, 0, 1, (byte)'A', 0, 0, 0, 1, (byte)'2'];

        Assert.Equal("1\02", SpdyHeaderBlock.Decode(block)["a"]);
    }

    [Fact]
    public void A_block_announcing_more_than_it_holds_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => SpdyHeaderBlock.Decode([0, 0, 0, 9, 0, 0, 0, 1, (byte)'a']));
    }

    private static async Task<List<SpdyFrame>> ReadAllAsync(byte[] wire)
    {
        using var decompressor = new SpdyHeaderDecompressor();
        var reader = new SpdyFrameReader(new MemoryStream(wire), decompressor);
        var frames = new List<SpdyFrame>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var value in data)
        {
            a = (a + value) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
