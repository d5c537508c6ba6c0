using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class OomKillCountTests
{
    [Fact]
    public void The_v1_oom_control_file_counts_oom_kills() =>
        Assert.Equal(2, OomKillCount.Parse("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));

    [Fact]
    public void The_v2_memory_events_file_counts_oom_kills() =>
        Assert.Equal(1, OomKillCount.Parse("low 0\nhigh 0\nmax 14\noom 1\noom_kill 1\noom_group_kill 0\n"));

    [Fact]
    public void A_missing_file_counts_none() => Assert.Equal(0, OomKillCount.Parse(null));
}
