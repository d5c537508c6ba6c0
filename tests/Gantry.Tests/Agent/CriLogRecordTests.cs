using System.Text;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class CriLogRecordTests
{
    [Fact]
    public void A_full_record_has_its_time_stream_and_content()
    {
        Assert.True(CriLogRecord.TryParse("2026-11-27T10:00:01.123456789Z stderr F disk full"u8, out var record));

        Assert.Equal("2026-11-27T10:00:01.123456789Z", Encoding.ASCII.GetString(record.Time));
        Assert.Equal("stderr", Encoding.ASCII.GetString(record.Stream));
        Assert.False(record.Partial);
        Assert.Equal("disk full", Encoding.UTF8.GetString(record.Content));
    }

    [Fact]
    public void Spaces_in_the_content_are_kept()
    {
        Assert.True(CriLogRecord.TryParse("2026-11-27T10:00:01.000000000Z stdout F  a  b "u8, out var record));

        Assert.Equal(" a  b ", Encoding.UTF8.GetString(record.Content));
    }

    [Fact]
    public void A_partial_record_is_marked_so() =>
        Assert.True(CriLogRecord.TryParse("2026-11-27T10:00:01.000000000Z stdout P abc"u8, out var record) && record.Partial);

    [Fact]
    public void A_tag_with_more_fields_after_a_colon_is_read_by_its_first() =>
        Assert.True(CriLogRecord.TryParse("2026-11-27T10:00:01.000000000Z stdout P:extra abc"u8, out var record) && record.Partial);

    [Fact]
    public void An_empty_line_of_output_is_a_full_record_with_no_content()
    {
        Assert.True(CriLogRecord.TryParse("2026-11-27T10:00:01.000000000Z stdout F "u8, out var record));

        Assert.True(record.Content.IsEmpty);
    }

    [Theory]
    [InlineData("plain text a workload wrote")]
    [InlineData("2026-11-27T10:00:01.000000000Z stdin F abc")]
    [InlineData("2026-11-27T10:00:01.000000000Z stdout F")]
    [InlineData(" stdout F abc")]
    public void A_line_in_another_format_is_no_record(string line) =>
        Assert.False(CriLogRecord.TryParse(Encoding.UTF8.GetBytes(line), out _));
}
