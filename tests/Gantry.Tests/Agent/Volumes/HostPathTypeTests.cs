using System.Net.Sockets;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

public sealed class HostPathTypeTests : IDisposable
{
    private readonly VolumeTestBed bed = new();

    private string InRoot(string name) => Path.Combine(bed.Root, name);

    private Task<Gantry.Agent.Runtimes.ContainerMount> MountAsync(string path, string? type) =>
        bed.MountAsync(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = path, Type = type } });

    [Fact]
    public async Task An_untyped_hostPath_is_not_checked()
    {
        Assert.Equal(InRoot("nothing-here"), (await MountAsync(InRoot("nothing-here"), null)).HostPath);
        Assert.False(Path.Exists(InRoot("nothing-here")));
    }

    [Fact]
    public async Task DirectoryOrCreate_creates_the_directory_and_its_parents_0755()
    {
        await MountAsync(InRoot("a/b"), "DirectoryOrCreate");

        Assert.Equal("755", Octal(File.GetUnixFileMode(InRoot("a/b"))));
        Assert.Equal("755", Octal(File.GetUnixFileMode(InRoot("a"))));
    }

    [Fact]
    public async Task Directory_must_already_be_a_directory()
    {
        File.WriteAllText(InRoot("file"), "");

        Assert.EndsWith($": hostPath type check failed: {InRoot("file")} is not a directory", await ProblemOfAsync(() => MountAsync(InRoot("file"), "Directory")), StringComparison.Ordinal);
        Assert.EndsWith("is not a directory", await ProblemOfAsync(() => MountAsync(InRoot("file"), "DirectoryOrCreate")), StringComparison.Ordinal);
        Assert.EndsWith("is not a directory", await ProblemOfAsync(() => MountAsync(InRoot("absent"), "Directory")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileOrCreate_creates_an_empty_file_0644_in_an_existing_directory()
    {
        await MountAsync(InRoot("empty"), "FileOrCreate");

        Assert.Equal(0, new FileInfo(InRoot("empty")).Length);
        Assert.Equal("644", Octal(File.GetUnixFileMode(InRoot("empty"))));
    }

    [Fact]
    public async Task FileOrCreate_creates_no_parent_directories()
    {
        var problem = await ProblemOfAsync(() => MountAsync(InRoot("missing/file"), "FileOrCreate"));

        Assert.EndsWith($": open {InRoot("missing/file")}: no such file or directory", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_must_already_be_a_regular_file()
    {
        Assert.EndsWith($"{bed.Root} is not a file", await ProblemOfAsync(() => MountAsync(bed.Root, "File")), StringComparison.Ordinal);
        Assert.EndsWith("/dev/null is not a file", await ProblemOfAsync(() => MountAsync("/dev/null", "FileOrCreate")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_must_be_a_unix_socket()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(InRoot("api.sock")));

        await MountAsync(InRoot("api.sock"), "Socket");
        Assert.EndsWith("/dev/null is not a socket file", await ProblemOfAsync(() => MountAsync("/dev/null", "Socket")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CharDevice_and_BlockDevice_must_be_devices_of_that_kind()
    {
        await MountAsync("/dev/null", "CharDevice");

        Assert.EndsWith("/dev/null is not a block device", await ProblemOfAsync(() => MountAsync("/dev/null", "BlockDevice")), StringComparison.Ordinal);
        Assert.EndsWith($"{bed.Root} is not a character device", await ProblemOfAsync(() => MountAsync(bed.Root, "CharDevice")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_is_checked_by_what_it_leads_to()
    {
        File.CreateSymbolicLink(InRoot("null"), "/dev/null");

        await MountAsync(InRoot("null"), "CharDevice");
    }

    [Fact]
    public async Task An_unknown_type_is_refused()
    {
        Assert.EndsWith(": Pipe is an invalid volume type", await ProblemOfAsync(() => MountAsync(bed.Root, "Pipe")), StringComparison.Ordinal);
    }

    public void Dispose() => bed.Dispose();
}
