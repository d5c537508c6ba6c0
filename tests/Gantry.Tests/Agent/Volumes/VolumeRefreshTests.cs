using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

/// <summary>Projected volumes written again while the pod runs, as kubelet's periodic sync writes them.</summary>
public sealed class VolumeRefreshTests : IDisposable
{
    private static readonly V1Volume Config = new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings" } };

    private readonly VolumeTestBed bed = new();

    public VolumeRefreshTests() => bed.ConfigMaps["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["mode"] = "prod" } };

    public void Dispose() => bed.Dispose();

    private static V1Pod PodWithConfig() => Pod([Config], [new V1VolumeMount { Name = "config", MountPath = "/v" }]);

    [Fact]
    public async Task A_changed_config_map_reaches_the_volume()
    {
        var mount = await bed.MountAsync(Config);
        bed.ConfigMaps["settings"].Data["mode"] = "staging";

        Assert.True(await bed.Volumes.RefreshAsync(PodWithConfig(), CancellationToken.None));

        Assert.Equal("staging", File.ReadAllText(Path.Combine(mount.HostPath, "mode")));
    }

    [Fact]
    public async Task An_unchanged_config_map_changes_nothing()
    {
        await bed.MountAsync(Config);

        Assert.False(await bed.Volumes.RefreshAsync(PodWithConfig(), CancellationToken.None));
    }

    [Fact]
    public async Task A_deleted_config_map_leaves_the_files_as_they_were()
    {
        var mount = await bed.MountAsync(Config);
        bed.ConfigMaps.Remove("settings");

        await Assert.ThrowsAsync<VolumeSetupException>(() => bed.Volumes.RefreshAsync(PodWithConfig(), CancellationToken.None));

        Assert.Equal("prod", File.ReadAllText(Path.Combine(mount.HostPath, "mode")));
    }

    [Fact]
    public async Task A_volume_not_yet_set_up_is_left_to_the_containers_start() =>
        Assert.False(await bed.Volumes.RefreshAsync(PodWithConfig(), CancellationToken.None));

    [Fact]
    public void Only_pods_with_projected_files_need_refreshing()
    {
        Assert.True(PodVolumes.HasProjectedFiles(PodWithConfig()));
        Assert.False(PodVolumes.HasProjectedFiles(Pod([new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }], [])));
    }
}
