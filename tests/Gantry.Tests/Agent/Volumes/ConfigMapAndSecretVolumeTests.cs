using System.Text;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

public sealed class ConfigMapAndSecretVolumeTests : IDisposable
{
    private readonly VolumeTestBed bed = new();

    public ConfigMapAndSecretVolumeTests()
    {
        bed.ConfigMaps["settings"] = new V1ConfigMap
        {
            Data = new Dictionary<string, string> { ["app.conf"] = "port=80", ["mode"] = "prod" },
            BinaryData = new Dictionary<string, byte[]> { ["logo.bin"] = [0x00, 0xff, 0x80] },
        };
        bed.Secrets["creds"] = new V1Secret { Data = new Dictionary<string, byte[]> { ["password"] = "hunter2"u8.ToArray(), ["user"] = "admin"u8.ToArray() } };
    }

    private static V1Volume ConfigMap(IList<V1KeyToPath>? items = null, int? defaultMode = null, bool? optional = null, string name = "settings") =>
        new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = name, Items = items, DefaultMode = defaultMode, Optional = optional } };

    private static V1Volume Secret(IList<V1KeyToPath>? items = null, int? defaultMode = null, bool? optional = null, string name = "creds") =>
        new() { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = name, Items = items, DefaultMode = defaultMode, Optional = optional } };

    [Fact]
    public async Task Every_key_is_a_link_through_the_data_link_to_a_timestamped_directory_of_files_with_mode_0644()
    {
        var mount = await bed.MountAsync(ConfigMap());

        var dataDirectory = new FileInfo(Path.Combine(mount.HostPath, "..data")).LinkTarget;
        Assert.Matches(@"^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$", dataDirectory);
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(mount.HostPath, "app.conf")).LinkTarget);
        Assert.Equal("port=80", File.ReadAllText(Path.Combine(mount.HostPath, "app.conf")));
        Assert.Equal("644", Octal(File.GetUnixFileMode(Path.Combine(mount.HostPath, dataDirectory!, "mode"))));
    }

    [Fact]
    public async Task BinaryData_keys_are_written_as_raw_bytes_beside_data()
    {
        var mount = await bed.MountAsync(ConfigMap());

        Assert.Equal([0x00, 0xff, 0x80], File.ReadAllBytes(Path.Combine(mount.HostPath, "logo.bin")));
        Assert.Equal("prod", File.ReadAllText(Path.Combine(mount.HostPath, "mode")));
    }

    [Fact]
    public async Task Items_project_only_the_listed_keys_at_their_paths_which_may_hold_directories()
    {
        var mount = await bed.MountAsync(ConfigMap([new V1KeyToPath { Key = "app.conf", Path = "etc/app/main.conf" }, new V1KeyToPath { Key = "logo.bin", Path = "logo" }]));

        Assert.Equal("port=80", File.ReadAllText(Path.Combine(mount.HostPath, "etc/app/main.conf")));
        Assert.Equal([0x00, 0xff, 0x80], File.ReadAllBytes(Path.Combine(mount.HostPath, "logo")));
        Assert.Equal(["etc", "logo"], Directory.EnumerateFileSystemEntries(mount.HostPath).Select(Path.GetFileName).Where(n => !n!.StartsWith("..", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task A_listed_key_the_config_map_lacks_fails_the_volume()
    {
        var problem = await ProblemOfAsync(() => bed.MountAsync(ConfigMap([new V1KeyToPath { Key = "absent", Path = "a" }])));

        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: absent", problem);
    }

    [Fact]
    public async Task A_listed_key_the_secret_lacks_fails_the_volume()
    {
        var problem = await ProblemOfAsync(() => bed.MountAsync(Secret([new V1KeyToPath { Key = "token", Path = "t" }])));

        Assert.EndsWith(": references non-existent secret key: token", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listed_key_an_optional_volume_lacks_is_left_out()
    {
        var mount = await bed.MountAsync(ConfigMap([new V1KeyToPath { Key = "absent", Path = "a" }, new V1KeyToPath { Key = "mode", Path = "m" }], optional: true));

        Assert.False(File.Exists(Path.Combine(mount.HostPath, "a")));
        Assert.Equal("prod", File.ReadAllText(Path.Combine(mount.HostPath, "m")));
    }

    [Fact]
    public async Task DefaultMode_sets_every_files_mode_and_an_items_mode_overrides_it()
    {
        var mount = await bed.MountAsync(Secret([new V1KeyToPath { Key = "password", Path = "password", Mode = 384 }, new V1KeyToPath { Key = "user", Path = "user" }], defaultMode: 256));

        Assert.Equal("600", Octal(File.GetUnixFileMode(RealFile(mount.HostPath, "password"))));
        Assert.Equal("400", Octal(File.GetUnixFileMode(RealFile(mount.HostPath, "user"))));
        Assert.Equal("hunter2", File.ReadAllText(Path.Combine(mount.HostPath, "password")));
    }

    [Fact]
    public async Task An_optional_object_that_does_not_exist_gives_an_empty_volume()
    {
        var configMap = await bed.MountAsync(ConfigMap(optional: true, name: "absent"));
        var secret = await bed.MountAsync(Secret(optional: true, name: "absent"));

        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(configMap.HostPath), e => !Path.GetFileName(e).StartsWith("..", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(secret.HostPath), e => !Path.GetFileName(e).StartsWith("..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_object_that_does_not_exist_fails_the_volume_with_kubelets_message()
    {
        Assert.EndsWith(": configmap \"absent\" not found", await ProblemOfAsync(() => bed.MountAsync(ConfigMap(name: "absent"))), StringComparison.Ordinal);
        Assert.EndsWith(": secret \"absent\" not found", await ProblemOfAsync(() => bed.MountAsync(Secret(name: "absent"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_the_volume_up_again_rewrites_nothing()
    {
        var mount = await bed.MountAsync(ConfigMap());
        var before = new FileInfo(Path.Combine(mount.HostPath, "..data")).LinkTarget;

        await bed.MountAsync(ConfigMap());

        Assert.Equal(before, new FileInfo(Path.Combine(mount.HostPath, "..data")).LinkTarget);
        Assert.Single(Directory.EnumerateDirectories(mount.HostPath, "..2*"));
    }

    [Fact]
    public async Task A_changed_object_is_swapped_in_whole_and_its_removed_keys_disappear()
    {
        var mount = await bed.MountAsync(ConfigMap());
        bed.ConfigMaps["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["mode"] = "staging" } };

        await bed.MountAsync(ConfigMap());

        Assert.Equal("staging", File.ReadAllText(Path.Combine(mount.HostPath, "mode")));
        Assert.False(File.Exists(Path.Combine(mount.HostPath, "app.conf")));
        Assert.Null(new FileInfo(Path.Combine(mount.HostPath, "app.conf")).LinkTarget);
        Assert.Single(Directory.EnumerateDirectories(mount.HostPath, "..2*"));
    }

    [Fact]
    public async Task Files_an_earlier_agent_wrote_straight_into_the_volume_are_replaced_by_links()
    {
        var legacy = Path.Combine(bed.Root, "pod-1", "config");
        Directory.CreateDirectory(legacy);
        await File.WriteAllTextAsync(Path.Combine(legacy, "mode"), "old");

        var mount = await bed.MountAsync(ConfigMap());

        Assert.Equal("..data/mode", new FileInfo(Path.Combine(mount.HostPath, "mode")).LinkTarget);
        Assert.Equal("prod", File.ReadAllText(Path.Combine(mount.HostPath, "mode")));
    }

    [Fact]
    public async Task An_item_path_that_climbs_out_of_the_volume_is_refused()
    {
        var problem = await ProblemOfAsync(() => bed.MountAsync(ConfigMap([new V1KeyToPath { Key = "mode", Path = "../escape" }])));

        Assert.EndsWith(": invalid path: must not contain '..': ../escape", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Volumes_of_written_files_are_mounted_read_only_even_when_the_mount_does_not_ask()
    {
        Assert.True((await bed.MountAsync(ConfigMap())).ReadOnly);
        Assert.True((await bed.MountAsync(Secret())).ReadOnly);
    }

    private static string RealFile(string volume, string key) =>
        Path.Combine(volume, new FileInfo(Path.Combine(volume, "..data")).LinkTarget!, key);

    public void Dispose() => bed.Dispose();
}
