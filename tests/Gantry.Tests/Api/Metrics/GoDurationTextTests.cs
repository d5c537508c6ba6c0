using Gantry.Server.Api.Metrics;
using Xunit;

namespace Gantry.Tests.Api.Metrics;

public sealed class GoDurationTextTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(100_000_000L, "10s")]
    [InlineData(100_021_000L, "10.0021s")]
    [InlineData(900_000_000L, "1m30s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(2_500_000L, "250ms")]
    [InlineData(15L, "1.5µs")]
    public void A_window_is_written_as_go_writes_a_duration(long ticks, string expected)
    {
        Assert.Equal(expected, GoDurationText.Format(TimeSpan.FromTicks(ticks)));
    }
}
