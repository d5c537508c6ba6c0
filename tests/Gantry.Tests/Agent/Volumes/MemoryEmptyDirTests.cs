using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent.Volumes;

/// <summary>These mount a tmpfs under a temporary directory: they need root, as the agent does.</summary>
public sealed class MemoryEmptyDirTests : IDisposable
{
    private readonly VolumeTestBed bed = new();

    private static V1Volume Memory(string? sizeLimit = null) => new()
    {
        Name = "scratch",
        EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = sizeLimit is null ? null : new ResourceQuantity(sizeLimit) },
    };

    [Fact]
    public async Task Medium_Memory_mounts_a_tmpfs_of_the_size_limit_on_the_volume_directory()
    {
        var mount = await bed.MountAsync(Memory("8Mi"));

        Assert.True(MemoryMedium.IsMountPoint(mount.HostPath));
        Assert.Equal("tmpfs", new DriveInfo(mount.HostPath).DriveFormat);
        Assert.Equal(8L * 1024 * 1024, new DriveInfo(mount.HostPath).TotalSize);
    }

    [Fact]
    public async Task Setting_it_up_again_keeps_the_one_tmpfs_and_its_files()
    {
        var mount = await bed.MountAsync(Memory());
        await File.WriteAllTextAsync(Path.Combine(mount.HostPath, "state"), "kept");

        await bed.MountAsync(Memory());

        Assert.Single(File.ReadAllLines("/proc/self/mountinfo"), line => line.Split(' ')[4] == mount.HostPath);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(mount.HostPath, "state")));
    }

    [Fact]
    public async Task Remove_detaches_the_tmpfs_before_deleting_the_pods_directory()
    {
        var mount = await bed.MountAsync(Memory());
        await File.WriteAllTextAsync(Path.Combine(mount.HostPath, "state"), "gone");

        bed.Volumes.Remove("pod-1");

        Assert.False(MemoryMedium.IsMountPoint(mount.HostPath));
        Assert.False(Directory.Exists(Path.Combine(bed.Root, "pod-1")));
    }

    [Fact]
    public async Task An_emptyDir_is_writable_by_every_user()
    {
        var disk = await bed.MountAsync(new V1Volume { Name = "disk", EmptyDir = new V1EmptyDirVolumeSource() });
        var memory = await bed.MountAsync(Memory());

        Assert.Equal("777", VolumeTestBed.Octal(File.GetUnixFileMode(disk.HostPath) & (UnixFileMode)0x1ff));
        Assert.Equal("777", VolumeTestBed.Octal(File.GetUnixFileMode(memory.HostPath) & (UnixFileMode)0x1ff));
    }

    public void Dispose() => bed.Dispose();
}
