using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class HostMountPointsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gantry-mountpoints-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string MakeDirectory(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    private string MakeFile(string name)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, "x");
        return path;
    }

    [Fact]
    public void A_directory_mounted_on_an_existing_host_directory_is_accepted()
    {
        HostMountPoints.Check([new ContainerMount(MakeDirectory("volume"), MakeDirectory("target"), ReadOnly: false)]);
    }

    [Fact]
    public void A_mount_point_missing_from_the_host_is_refused_with_its_path()
    {
        var target = Path.Combine(_root, "missing");

        var refused = Assert.Throws<InvalidOperationException>(() =>
            HostMountPoints.Check([new ContainerMount(MakeDirectory("volume"), target, ReadOnly: false)]));

        Assert.StartsWith($"mount point {target} does not exist on the host", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_mounted_on_a_host_file_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            HostMountPoints.Check([new ContainerMount(MakeDirectory("volume"), MakeFile("target"), ReadOnly: false)]));

        Assert.EndsWith("is a file, and the volume mounted there is a directory", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_mounted_on_an_existing_host_file_is_accepted()
    {
        HostMountPoints.Check([new ContainerMount(MakeFile("hosts"), MakeFile("target"), ReadOnly: true)]);
    }

    [Fact]
    public void A_mount_point_under_an_earlier_mount_is_looked_for_in_that_mounts_host_path()
    {
        var volume = MakeDirectory("volume");
        Directory.CreateDirectory(Path.Combine(volume, "sub"));
        var target = MakeDirectory("target");

        HostMountPoints.Check(
        [
            new ContainerMount(volume, target, ReadOnly: false),
            new ContainerMount(MakeDirectory("inner"), Path.Combine(target, "sub"), ReadOnly: false),
        ]);
    }
}
