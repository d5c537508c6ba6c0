using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class GoDurationTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(450.9, "450ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(2250, "2.25s")]
    [InlineData(62_005, "1m2.005s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(3_723_400, "1h2m3.4s")]
    public void Durations_read_as_Go_prints_them_truncated_to_milliseconds(double milliseconds, string text) =>
        Assert.Equal(text, GoDurationText.Of(TimeSpan.FromMilliseconds(milliseconds)));
}
