using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class MarathonTimestampsTests
{
    [Theory]
    [InlineData("2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05.678Z")]
    [InlineData("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z")]
    [InlineData("2026-01-02T04:04:05.678+01:00", "2026-01-02T03:04:05.678Z")]
    public void A_timestamp_with_an_offset_is_read_as_marathon_shows_versions(string given, string shown)
    {
        Assert.Equal(shown, MarathonTimestamps.Parse(given));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-01-02")]
    [InlineData("2026-01-02T03:04:05")]
    public void Anything_else_is_a_422_in_marathons_words(string given)
    {
        var refusal = Assert.Throws<MarathonException>(() => MarathonTimestamps.Parse(given));

        Assert.Equal((422, $"Invalid timestamp provided '{given}'. Expecting ISO-8601 datetime string."), (refusal.Status, refusal.Message));
    }
}
