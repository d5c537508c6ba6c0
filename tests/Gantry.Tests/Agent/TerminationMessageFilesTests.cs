using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class TerminationMessageFilesTests : IDisposable
{
    private readonly string _podDir = Directory.CreateTempSubdirectory("gantry-pod-").FullName;

    public void Dispose() => Directory.Delete(_podDir, recursive: true);

    [Fact]
    public void A_new_instances_file_is_empty_and_writable_by_any_user()
    {
        var file = TerminationMessageFiles.Create(_podDir, "app");

        Assert.Equal(0, new FileInfo(file).Length);
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(file));
    }

    [Fact]
    public void The_file_is_found_again_by_the_instance_it_became()
    {
        var handle = new ContainerHandle("0123456789abcdef", "oci", "u1", "web", "team", "app", DateTimeOffset.UnixEpoch);
        var file = TerminationMessageFiles.Create(_podDir, "app");
        File.WriteAllText(file, "bye");

        TerminationMessageFiles.Keep(file, handle);

        Assert.Equal("bye", File.ReadAllText(TerminationMessageFiles.Of(_podDir, handle)));
    }

    [Fact]
    public void The_path_in_the_container_defaults_to_dev_termination_log_and_an_empty_one_means_none()
    {
        Assert.Equal("/dev/termination-log", TerminationMessageFiles.ContainerPath(new V1Container { Name = "app" }));
        Assert.Equal("/tmp/done", TerminationMessageFiles.ContainerPath(new V1Container { Name = "app", TerminationMessagePath = "/tmp/done" }));
        Assert.Null(TerminationMessageFiles.ContainerPath(new V1Container { Name = "app", TerminationMessagePath = "" }));
    }
}
