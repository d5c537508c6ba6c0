using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerStateResolverTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
    private static readonly ShimStarted Started = new(100, 5000, 101, 5001, Created.AddMilliseconds(40));

    private static ContainerObservation Observation(
        ShimStarted? started = null,
        ShimExit? exit = null,
        bool childAlive = false,
        bool shimAlive = false,
        int? pid = null,
        bool workloadStarted = true,
        long oomKills = 0,
        TimeSpan? after = null) =>
        new(Created, started, exit, childAlive, shimAlive, pid, workloadStarted, oomKills, Created + (after ?? TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(30));

    [Fact]
    public void A_running_child_is_running_as_the_workloads_main_pid() =>
        Assert.Equal(new ContainerRunning(102, Started.At), ContainerStateResolver.Resolve(Observation(Started, childAlive: true, shimAlive: true, pid: 102)));

    [Fact]
    public void A_dead_child_whose_shim_still_runs_is_running_until_the_exit_is_recorded() =>
        Assert.IsType<ContainerRunning>(ContainerStateResolver.Resolve(Observation(Started, shimAlive: true)));

    [Theory]
    [InlineData(0, 0, ExitReason.Completed)]
    [InlineData(1, 0, ExitReason.Error)]
    [InlineData(137, 0, ExitReason.Error)]
    [InlineData(137, 1, ExitReason.OOMKilled)]
    [InlineData(0, 1, ExitReason.Completed)]
    public void A_recorded_exit_is_final_and_its_reason_follows_from_code_and_oom_kills(int code, long oomKills, ExitReason reason)
    {
        var exit = new ShimExit(code, Created.AddSeconds(3));

        var status = ContainerStateResolver.Resolve(Observation(Started, exit, childAlive: true, shimAlive: true, oomKills: oomKills));

        Assert.Equal(new ContainerExited(code, reason, Started.At, exit.At), status);
    }

    [Fact]
    public void An_exit_before_the_workload_ever_started_is_a_start_error() =>
        Assert.Equal(ExitReason.StartError, Assert.IsType<ContainerExited>(ContainerStateResolver.Resolve(Observation(Started, new ShimExit(1, Created), workloadStarted: false))).Reason);

    [Fact]
    public void Child_and_shim_gone_without_an_exit_record_is_an_unknown_status_with_the_kubelets_code()
    {
        var status = ContainerStateResolver.Resolve(Observation(Started));

        Assert.Equal(new ContainerExited(137, ExitReason.ContainerStatusUnknown, Started.At, Created.AddSeconds(1)), status);
    }

    [Fact]
    public void A_lost_container_that_the_oom_killer_hit_is_reported_OOMKilled() =>
        Assert.Equal(ExitReason.OOMKilled, Assert.IsType<ContainerExited>(ContainerStateResolver.Resolve(Observation(Started, oomKills: 1))).Reason);

    [Fact]
    public void Before_the_shim_reports_the_start_the_container_is_created_until_the_start_timeout()
    {
        Assert.Equal(new ContainerCreated(Created), ContainerStateResolver.Resolve(Observation(after: TimeSpan.FromSeconds(29))));
        Assert.Equal(ExitReason.ContainerStatusUnknown, Assert.IsType<ContainerExited>(ContainerStateResolver.Resolve(Observation(after: TimeSpan.FromSeconds(31)))).Reason);
    }
}
