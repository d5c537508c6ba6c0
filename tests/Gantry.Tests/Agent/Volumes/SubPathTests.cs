using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

public sealed class SubPathTests : IDisposable
{
    private readonly VolumeTestBed bed = new();

    private static V1Volume EmptyDir => new() { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() };

    [Fact]
    public async Task A_subPath_mounts_that_file_or_directory_inside_the_volume()
    {
        var volume = (await bed.MountAsync(EmptyDir)).HostPath;
        Directory.CreateDirectory(Path.Combine(volume, "site"));

        var mount = await bed.MountAsync(EmptyDir, "site");

        Assert.Equal(Path.Combine(volume, "site"), mount.HostPath);
        Assert.Equal("/v", mount.ContainerPath);
    }

    [Fact]
    public async Task A_subPath_that_does_not_exist_is_created_as_a_directory()
    {
        var mount = await bed.MountAsync(EmptyDir, "cache/blobs");

        Assert.True(Directory.Exists(mount.HostPath));
        Assert.EndsWith("/data/cache/blobs", mount.HostPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configMap_subPath_is_the_real_file_behind_the_keys_link()
    {
        bed.ConfigMaps["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["app.conf"] = "port=80" } };
        var volume = new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings" } };

        var mount = await bed.MountAsync(volume, "app.conf");

        Assert.Null(new FileInfo(mount.HostPath).LinkTarget);
        Assert.Matches(@"/config/\.\.\d{4}_[\d_]+\.\d+/app\.conf$", mount.HostPath);
        Assert.Equal("port=80", File.ReadAllText(mount.HostPath));
    }

    [Fact]
    public async Task An_absolute_subPath_is_refused()
    {
        var problem = await ProblemOfAsync(() => bed.MountAsync(EmptyDir, "/etc"));

        Assert.Equal("MountVolume.SetUp failed for volume \"data\" : error SubPath `/etc` must not be an absolute path", problem);
    }

    [Fact]
    public async Task A_subPath_with_a_dot_dot_component_is_refused()
    {
        var problem = await ProblemOfAsync(() => bed.MountAsync(EmptyDir, "a/../../etc"));

        Assert.EndsWith(": unable to provision SubPath `a/../../etc`: must not contain '..'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subPath_whose_link_leads_out_of_the_volume_is_refused()
    {
        var volume = (await bed.MountAsync(EmptyDir)).HostPath;
        File.CreateSymbolicLink(Path.Combine(volume, "escape"), "/etc");

        var problem = await ProblemOfAsync(() => bed.MountAsync(EmptyDir, "escape"));

        Assert.Contains("subpath \"/etc\" not within volume path", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subPath_of_a_hostPath_that_is_not_a_directory_fails_the_volume()
    {
        var volume = new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = Path.Combine(bed.Root, "absent") } };

        var problem = await ProblemOfAsync(() => bed.MountAsync(volume, "logs"));

        Assert.EndsWith($": unable to provision SubPath `logs`: {Path.Combine(bed.Root, "absent")} is not a directory", problem, StringComparison.Ordinal);
    }

    public void Dispose() => bed.Dispose();
}
