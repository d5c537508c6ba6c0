using Gantry.Agent.Lifecycle;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent.Lifecycle;

public sealed class PostStartHookTests
{
    private static readonly V1Pod Pod = new() { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "u1" } };

    private readonly FakeContainerRuntime _runtime = new();
    private readonly List<string> _failures = [];

    private Task<bool> RunAsync(V1Lifecycle? lifecycle)
    {
        var container = new V1Container { Name = "app", Lifecycle = lifecycle };
        return new PostStartHook(_runtime, new ManualClock()).RunAsync(
            Pod, container, FakeContainerRuntime.Handle, "127.0.0.1", TimeSpan.FromSeconds(30), _failures.Add, _failures.Add, CancellationToken.None);
    }

    private static V1Lifecycle PostStart(params string[] command) => new() { PostStart = new V1LifecycleHandler { Exec = new V1ExecAction { Command = command } } };

    [Fact]
    public async Task A_container_without_a_postStart_hook_is_left_alone()
    {
        Assert.True(await RunAsync(null));
        Assert.Empty(_runtime.Calls);
    }

    [Fact]
    public async Task A_postStart_hook_that_succeeds_leaves_the_container_running()
    {
        Assert.True(await RunAsync(PostStart("/warm-up")));
        Assert.Equal(["exec /warm-up"], _runtime.Calls);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_failing_postStart_hook_is_reported_and_the_container_killed_with_the_grace_period()
    {
        _runtime.ExecExitCode = 1;

        Assert.False(await RunAsync(PostStart("/warm-up")));

        Assert.StartsWith("Exec lifecycle hook ([/warm-up]) for Container \"app\"", Assert.Single(_failures), StringComparison.Ordinal);
        Assert.Equal(["exec /warm-up", "stop"], _runtime.Calls);
        Assert.Equal(TimeSpan.FromSeconds(30), _runtime.StoppedWithin);
    }
}
