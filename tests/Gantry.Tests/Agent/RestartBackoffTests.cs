using Gantry.Agent.Pods;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class RestartBackoffTests
{
    [Fact]
    public void The_first_restart_is_immediate() =>
        Assert.Equal(TimeSpan.Zero, RestartBackoff.Delay(0, TimeSpan.FromSeconds(1)));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    public void Later_restarts_wait_ten_seconds_doubling(int restarts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RestartBackoff.Delay(restarts, TimeSpan.FromSeconds(1)));

    [Fact]
    public void The_wait_never_exceeds_five_minutes() =>
        Assert.Equal(TimeSpan.FromMinutes(5), RestartBackoff.Delay(30, TimeSpan.FromSeconds(1)));

    [Fact]
    public void A_container_that_ran_ten_minutes_restarts_at_once() =>
        Assert.Equal(TimeSpan.Zero, RestartBackoff.Delay(6, TimeSpan.FromMinutes(10)));
}
