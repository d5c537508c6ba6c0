using Gantry.Agent.Images;
using Xunit;
using static Gantry.IntegrationTests.TestArchives;

namespace Gantry.IntegrationTests;

public sealed class ImageStoreTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    private static IReadOnlyList<IReadOnlyList<System.Formats.Tar.TarEntry>> LayersWithWhiteouts() =>
    [
        [Directory("a/"), File("a/keep", "k"), File("a/gone", "g"), Directory("b/"), File("b/x", "x"), File("old", "o"), Symlink("link", "/a/keep")],
        [File("a/.wh.gone", string.Empty), File("b/.wh..wh..opq", string.Empty), File("b/y", "y"), File("new", "n")],
    ];

    [Theory]
    [InlineData(RootfsMode.Overlay)]
    [InlineData(RootfsMode.Copy)]
    public async Task A_docker_save_archive_with_whiteouts_becomes_the_rootfs_its_top_layer_describes(RootfsMode mode)
    {
        var archive = Path.Combine(_harness.Root, "test.tar");
        System.IO.Directory.CreateDirectory(_harness.Root);
        await System.IO.File.WriteAllBytesAsync(archive, DockerSave("test:1", LayersWithWhiteouts()), _harness.Ct);

        var image = Assert.Single(await _harness.Images.ImportAsync(archive, cancellationToken: _harness.Ct));
        var bundle = Path.Combine(_harness.Root, "bundle");
        try
        {
            var (rootfs, used) = await new RootfsBuilder(_harness.Images).PrepareAsync(image, bundle, mode, _harness.Ct);

            Assert.Equal(mode, used);
            Assert.Equal(["docker.io/library/test:1"], image.Names);
            Assert.Equal(["a", "a/keep", "b", "b/y", "link", "new", "old"], Tree(rootfs));
            Assert.Equal("/a/keep", new FileInfo(Path.Combine(rootfs, "link")).LinkTarget);
            Assert.Equal("y", await System.IO.File.ReadAllTextAsync(Path.Combine(rootfs, "b/y"), _harness.Ct));
        }
        finally
        {
            RootfsBuilder.Release(bundle);
        }
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_diff_id_is_refused_and_leaves_no_layer_behind()
    {
        var archive = Path.Combine(_harness.Root, "corrupt.tar");
        System.IO.Directory.CreateDirectory(_harness.Root);
        await System.IO.File.WriteAllBytesAsync(archive, DockerSave("corrupt:1", [[File("x", "x")]], ["sha256:" + new string('0', 64)]), _harness.Ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => _harness.Images.ImportAsync(archive, cancellationToken: _harness.Ct));

        Assert.Empty(await _harness.Images.ListAsync(_harness.Ct));
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(Path.Combine(_harness.Images.Root, "layers")));
    }

    [Fact]
    public async Task An_image_in_use_cannot_be_removed_until_released_and_then_takes_its_layers_along()
    {
        var archive = Path.Combine(_harness.Root, "app.tar");
        System.IO.Directory.CreateDirectory(_harness.Root);
        await System.IO.File.WriteAllBytesAsync(archive, DockerSave("registry.local:5000/app:2", LayersWithWhiteouts()), _harness.Ct);
        var image = Assert.Single(await _harness.Images.ImportAsync(archive, cancellationToken: _harness.Ct));
        await _harness.Images.AcquireAsync("registry.local:5000/app:2", "container-1", _harness.Ct);

        await Assert.ThrowsAsync<ImageInUseException>(() => _harness.Images.RemoveAsync(image.Id, _harness.Ct));
        await _harness.Images.ReleaseAsync("container-1", _harness.Ct);
        Assert.True(await _harness.Images.RemoveAsync(image.Id[..19], _harness.Ct));

        Assert.Null(await _harness.Images.FindAsync("registry.local:5000/app:2", _harness.Ct));
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(Path.Combine(_harness.Images.Root, "layers")));
    }

    [Fact]
    public async Task The_built_in_busybox_image_is_made_once_from_the_hosts_busybox_with_every_applet()
    {
        var first = await _harness.Images.AcquireAsync("busybox", "a", _harness.Ct);
        var second = await _harness.Images.AcquireAsync("docker.io/library/busybox:latest", "b", _harness.Ct);

        Assert.Equal(first.Id, Assert.Single(await _harness.Images.ListAsync(_harness.Ct)).Id);
        Assert.Equal((first.Id, first.ImportedAt), (second.Id, second.ImportedAt));
        var layer = _harness.Images.LayerDirectory(Assert.Single(first.Layers));
        Assert.All(["sh", "ls", "wget", "nc", "sleep"], applet => Assert.Equal("busybox", new FileInfo(Path.Combine(layer, "bin", applet)).LinkTarget));
        Assert.StartsWith("root:x:0:0:", await System.IO.File.ReadAllTextAsync(Path.Combine(layer, "etc/passwd"), _harness.Ct), StringComparison.Ordinal);
        Assert.Equal(["sh"], first.Config.Cmd);
    }

    private static List<string> Tree(string root) =>
        System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p))
            .Order(StringComparer.Ordinal)
            .ToList();
}
