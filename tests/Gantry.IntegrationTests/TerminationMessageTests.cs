using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.IntegrationTests;

/// <summary>The termination message file as the agent mounts it into a real runc container.</summary>
public sealed class TerminationMessageTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task What_a_non_root_container_writes_to_dev_termination_log_is_its_message()
    {
        var podDirectory = Directory.CreateDirectory(Path.Combine(_harness.Root, "pod")).FullName;
        var file = TerminationMessageFiles.Create(podDirectory, "app");
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "app",
            Image = "busybox",
            Command = ["sh", "-c", "echo -n 'config missing' > /dev/termination-log; exit 3"],
            Mounts = [new ContainerMount(file, TerminationMessageFiles.DefaultPath, ReadOnly: false)],
            User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 1000 },
        });
        TerminationMessageFiles.Keep(file, handle);

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);

        Assert.Equal(3, exited.ExitCode);
        Assert.Equal("config missing", TerminationMessage.Read(
            TerminationMessageFiles.Of(podDirectory, handle), "File", exited.ExitCode, _harness.Oci.LogPath(handle)));
    }

    [Fact]
    public async Task A_container_that_fails_without_writing_a_message_gets_its_logs_end_with_FallbackToLogsOnError()
    {
        var podDirectory = Directory.CreateDirectory(Path.Combine(_harness.Root, "pod")).FullName;
        var file = TerminationMessageFiles.Create(podDirectory, "app");
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "app",
            Image = "busybox",
            Command = ["sh", "-c", "for i in $(seq 1 100); do echo line $i; done; exit 1"],
            Mounts = [new ContainerMount(file, TerminationMessageFiles.DefaultPath, ReadOnly: false)],
        });
        TerminationMessageFiles.Keep(file, handle);

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);

        var message = TerminationMessage.Read(TerminationMessageFiles.Of(podDirectory, handle), "FallbackToLogsOnError", exited.ExitCode, _harness.Oci.LogPath(handle));
        Assert.StartsWith("line 21\n", message, StringComparison.Ordinal);
        Assert.EndsWith("line 100\n", message, StringComparison.Ordinal);
    }
}
