using Gantry.Agent.Images;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

/// <summary>The pod's fsGroup given to its volumes as kubelet gives it. These chown: they need root, as the agent does.</summary>
public sealed class FsGroupVolumeTests : IDisposable
{
    private const int Group = 2000;

    private static readonly V1PodSecurityContext WithFsGroup = new() { FsGroup = Group };

    private readonly VolumeTestBed bed = new();

    public FsGroupVolumeTests() => bed.ConfigMaps["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["mode"] = "prod" } };

    public void Dispose() => bed.Dispose();

    private static V1Volume Scratch() => new() { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() };

    /// <summary>A configMap volume whose files are 0400: only the fsGroup's read bit lets a non-root user read them.</summary>
    private static V1Volume Config() => new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings", DefaultMode = 256 } };

    private static V1Pod PodWithConfig(V1PodSecurityContext securityContext) =>
        Pod([Config()], [new V1VolumeMount { Name = "config", MountPath = "/v" }], securityContext: securityContext);

    private static int GroupOf(string path) => ImageSyscalls.Stat(path).Gid;

    /// <summary>The permission bits with set-user-ID, set-group-ID and sticky, in octal.</summary>
    private static string ModeOf(string path) => Octal(ImageSyscalls.Stat(path).Mode);

    private static string DataDirectory(string volume) => Path.Combine(volume, new FileInfo(Path.Combine(volume, "..data")).LinkTarget!);

    [Fact]
    public async Task An_emptyDir_belongs_to_the_fsGroup_with_the_set_group_id_bit()
    {
        var mount = await bed.MountAsync(Scratch(), securityContext: WithFsGroup);

        Assert.Equal(Group, GroupOf(mount.HostPath));
        Assert.Equal("2777", ModeOf(mount.HostPath));
    }

    [Fact]
    public async Task An_emptyDir_of_medium_Memory_gives_its_tmpfs_to_the_fsGroup()
    {
        var memory = new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } };

        var mount = await bed.MountAsync(memory, securityContext: WithFsGroup);

        Assert.Equal(Group, GroupOf(mount.HostPath));
        Assert.Equal("3777", ModeOf(mount.HostPath));
    }

    [Fact]
    public async Task An_emptyDir_set_up_again_keeps_the_group_and_mode_its_files_were_given()
    {
        var mount = await bed.MountAsync(Scratch(), securityContext: WithFsGroup);
        var state = Path.Combine(mount.HostPath, "state");
        await File.WriteAllTextAsync(state, "private");
        ImageSyscalls.ChangeOwner(state, -1, 0);
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await bed.MountAsync(Scratch(), securityContext: WithFsGroup);

        Assert.Equal(0, GroupOf(state));
        Assert.Equal("600", ModeOf(state));
    }

    [Fact]
    public async Task A_configMaps_files_and_directories_belong_to_the_fsGroup_which_may_read_but_not_write_them()
    {
        var mount = await bed.MountAsync(Config(), securityContext: WithFsGroup);
        var data = DataDirectory(mount.HostPath);

        Assert.Equal(Group, GroupOf(Path.Combine(data, "mode")));
        Assert.Equal("440", ModeOf(Path.Combine(data, "mode")));
        Assert.Equal(Group, GroupOf(data));
        Assert.Equal("2755", ModeOf(data));
        Assert.Equal(Group, GroupOf(mount.HostPath));
    }

    [Fact]
    public async Task A_configMap_rewritten_while_the_pod_runs_gives_its_new_files_to_the_fsGroup()
    {
        var mount = await bed.MountAsync(Config(), securityContext: WithFsGroup);
        bed.ConfigMaps["settings"].Data["mode"] = "staging";

        Assert.True(await bed.Volumes.RefreshAsync(PodWithConfig(WithFsGroup), CancellationToken.None));

        Assert.Equal(Group, GroupOf(Path.Combine(DataDirectory(mount.HostPath), "mode")));
        Assert.Equal("440", ModeOf(Path.Combine(DataDirectory(mount.HostPath), "mode")));
    }

    [Fact]
    public async Task OnRootMismatch_does_not_keep_a_rewritten_configMaps_files_from_the_fsGroup()
    {
        var onRootMismatch = new V1PodSecurityContext { FsGroup = Group, FsGroupChangePolicy = "OnRootMismatch" };
        var mount = await bed.MountAsync(Config(), securityContext: onRootMismatch);
        bed.ConfigMaps["settings"].Data["mode"] = "staging";

        await bed.Volumes.RefreshAsync(PodWithConfig(onRootMismatch), CancellationToken.None);

        Assert.Equal(Group, GroupOf(Path.Combine(DataDirectory(mount.HostPath), "mode")));
    }

    [Fact]
    public async Task A_configMap_set_up_again_with_an_fsGroup_rewrites_nothing()
    {
        await bed.MountAsync(Config(), securityContext: WithFsGroup);

        Assert.False(await bed.Volumes.RefreshAsync(PodWithConfig(WithFsGroup), CancellationToken.None));
    }

    [Fact]
    public async Task A_hostPath_is_left_as_it_is()
    {
        var host = Path.Combine(bed.Root, "host");
        Directory.CreateDirectory(host);
        File.SetUnixFileMode(host, (UnixFileMode)0x1ed);

        await bed.MountAsync(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = host } }, securityContext: WithFsGroup);

        Assert.Equal(0, GroupOf(host));
        Assert.Equal("755", ModeOf(host));
    }

    [Fact]
    public async Task Without_an_fsGroup_volumes_keep_the_root_group_and_their_modes()
    {
        var scratch = await bed.MountAsync(Scratch());
        var config = await bed.MountAsync(Config());

        Assert.Equal(0, GroupOf(scratch.HostPath));
        Assert.Equal("777", ModeOf(scratch.HostPath));
        Assert.Equal(0, GroupOf(Path.Combine(DataDirectory(config.HostPath), "mode")));
        Assert.Equal("400", ModeOf(Path.Combine(DataDirectory(config.HostPath), "mode")));
    }
}
