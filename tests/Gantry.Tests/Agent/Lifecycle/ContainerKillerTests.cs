using Gantry.Agent.Lifecycle;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent.Lifecycle;

public sealed class ContainerKillerTests
{
    private static readonly V1Pod Pod = new() { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "u1" } };

    private readonly FakeContainerRuntime _runtime = new();
    private readonly ManualClock _clock = new();
    private readonly List<string> _failures = [];

    private Task KillAsync(V1LifecycleHandler? preStop, TimeSpan grace)
    {
        var container = new V1Container { Name = "app", Lifecycle = preStop is null ? null : new V1Lifecycle { PreStop = preStop } };
        return new ContainerKiller(_runtime, _clock).KillAsync(Pod, container, FakeContainerRuntime.Handle, "127.0.0.1", grace, _failures.Add, CancellationToken.None);
    }

    private static V1LifecycleHandler Sleep(long seconds) => new() { Sleep = new V1SleepAction { Seconds = seconds } };

    [Fact]
    public async Task A_container_without_a_preStop_hook_is_stopped_with_the_whole_grace_period()
    {
        await KillAsync(null, TimeSpan.FromSeconds(30));

        Assert.Equal(["stop"], _runtime.Calls);
        Assert.Equal(TimeSpan.FromSeconds(30), _runtime.StoppedWithin);
    }

    [Fact]
    public async Task The_preStop_hook_runs_before_the_stop()
    {
        await KillAsync(new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["/drain"] } }, TimeSpan.FromSeconds(30));

        Assert.Equal(["exec /drain", "stop"], _runtime.Calls);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task The_hooks_time_comes_off_the_grace_period_the_stop_gets()
    {
        var kill = KillAsync(Sleep(3), TimeSpan.FromSeconds(10));
        Assert.Empty(_runtime.Calls);

        _clock.Advance(TimeSpan.FromSeconds(3));
        await kill;

        Assert.Equal(TimeSpan.FromSeconds(7), _runtime.StoppedWithin);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_hook_that_outlasts_the_grace_period_is_abandoned_and_the_container_still_gets_2_seconds()
    {
        var kill = KillAsync(Sleep(60), TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10));
        await kill;

        Assert.Equal(TimeSpan.FromSeconds(2), _runtime.StoppedWithin);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_failing_hook_is_reported_and_the_stop_goes_on()
    {
        _runtime.ExecExitCode = 2;

        await KillAsync(new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["/drain"] } }, TimeSpan.FromSeconds(30));

        Assert.StartsWith("Exec lifecycle hook ([/drain]) for Container \"app\"", Assert.Single(_failures), StringComparison.Ordinal);
        Assert.Equal(["exec /drain", "stop"], _runtime.Calls);
        Assert.Equal(TimeSpan.FromSeconds(30), _runtime.StoppedWithin);
    }

    [Fact]
    public async Task With_no_grace_period_the_hook_is_skipped()
    {
        await KillAsync(Sleep(5), TimeSpan.Zero);

        Assert.Equal(["stop"], _runtime.Calls);
    }
}
