using Gantry.Agent.Lifecycle;
using Xunit;

namespace Gantry.Tests.Agent.Lifecycle;

public sealed class PreStopGraceTests
{
    [Fact]
    public void The_hooks_time_comes_off_in_whole_seconds_truncated() =>
        Assert.Equal(TimeSpan.FromSeconds(27), PreStopGrace.Remaining(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3.9)));

    [Fact]
    public void What_remains_is_never_less_than_2_seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(2), PreStopGrace.Remaining(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(29)));
}
