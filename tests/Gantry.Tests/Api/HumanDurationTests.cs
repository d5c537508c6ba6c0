using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(182, "3m2s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(4 * 3600 + 5 * 60 + 7, "4h5m")]
    [InlineData(8 * 3600 + 59 * 60, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData(72 * 3600, "3d")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(775 * 86400, "2y45d")]
    [InlineData(8 * 365 * 86400, "8y")]
    public void Durations_print_like_kubectl(long seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Fractions_of_a_second_are_truncated()
    {
        Assert.Equal("0s", HumanDuration.Format(TimeSpan.FromMilliseconds(-1500)));
        Assert.Equal("59s", HumanDuration.Format(TimeSpan.FromMilliseconds(59_999)));
    }

    [Fact]
    public void Unset_timestamps_have_an_unknown_age()
    {
        Assert.Equal("<unknown>", HumanDuration.Since(null, DateTimeOffset.UnixEpoch));
    }
}
