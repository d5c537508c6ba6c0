using System.Text;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerLogDecoderTests
{
    private static string Decode(string log, ContainerLogView? view = null, int pieceSize = int.MaxValue)
    {
        var decoder = new ContainerLogDecoder(view ?? new ContainerLogView());
        var bytes = Encoding.UTF8.GetBytes(log);
        for (var offset = 0; offset < bytes.Length;)
        {
            var space = decoder.InputSpace();
            var count = Math.Min(Math.Min(pieceSize, space.Length), bytes.Length - offset);
            bytes.AsSpan(offset, count).CopyTo(space.Span);
            decoder.Decode(count);
            offset += count;
        }

        decoder.Finish();
        return Encoding.UTF8.GetString(decoder.Output.Span);
    }

    [Fact]
    public void Partial_records_join_into_one_line() =>
        Assert.Equal("abcdef\n", Decode("2026-11-27T10:00:01.000000000Z stdout P abc\n2026-11-27T10:00:01.000000000Z stdout F def\n"));

    [Fact]
    public void Timestamps_prefix_a_line_once_even_when_it_came_in_parts() =>
        Assert.Equal("2026-11-27T10:00:01.000000000Z abcdef\n",
            Decode("2026-11-27T10:00:01.000000000Z stdout P abc\n2026-11-27T10:00:02.000000000Z stdout F def\n", new ContainerLogView(Timestamps: true)));

    [Fact]
    public void Records_split_across_reads_decode_as_whole_ones() =>
        Assert.Equal("one\ntwo\n", Decode("2026-11-27T10:00:01.000000000Z stdout F one\n2026-11-27T10:00:02.000000000Z stdout F two\n", pieceSize: 7));

    [Fact]
    public void An_unfinished_last_record_is_decoded_when_the_read_finishes() =>
        Assert.Equal("one\n", Decode("2026-11-27T10:00:01.000000000Z stdout F one"));

    [Fact]
    public void Lines_in_no_known_format_are_skipped() =>
        Assert.Equal("one\n", Decode("garbage\n2026-11-27T10:00:01.000000000Z stdout F one\n"));

    [Fact]
    public void The_limit_counts_the_timestamps_too() =>
        Assert.Equal("2026-11-27T10:00:01", Decode("2026-11-27T10:00:01.000000000Z stdout F one\n", new ContainerLogView(Timestamps: true, LimitBytes: 19)));

    [Fact]
    public void A_line_longer_than_the_buffer_is_still_one_record()
    {
        var content = new string('x', 200_000);

        Assert.Equal(content + "\n", Decode($"2026-11-27T10:00:01.000000000Z stdout F {content}\n", pieceSize: 4096));
    }
}
