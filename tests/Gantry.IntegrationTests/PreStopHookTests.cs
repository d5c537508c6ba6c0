using Gantry.Agent.Lifecycle;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.IntegrationTests;

/// <summary>A preStop exec hook run in a real runc container before its stop.</summary>
public sealed class PreStopHookTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task The_preStop_hook_runs_inside_the_container_before_it_gets_SIGTERM()
    {
        var shared = Directory.CreateDirectory(Path.Combine(_harness.Root, "shared")).FullName;
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "app",
            Image = "busybox",
            Command = ["sh", "-c", "trap 'cat /shared/drained > /shared/on-term; exit 0' TERM; while true; do sleep 0.1; done"],
            Mounts = [new ContainerMount(shared, "/shared", ReadOnly: false)],
        });
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "u1" } };
        var container = new V1Container
        {
            Name = "app",
            Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", "echo drained > /shared/drained"] } } },
        };
        var failures = new List<string>();

        await new ContainerKiller(_harness.Oci, TimeProvider.System).KillAsync(
            pod, container, handle, podIp: null, TimeSpan.FromSeconds(20), failures.Add, _harness.Ct);

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);
        Assert.Empty(failures);
        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("drained\n", await File.ReadAllTextAsync(Path.Combine(shared, "on-term")));
    }
}
