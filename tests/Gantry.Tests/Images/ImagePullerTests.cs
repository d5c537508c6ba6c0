using System.Text;
using System.Text.Json.Nodes;
using Gantry.Agent.Images;
using Gantry.Agent.Images.Registry;
using Gantry.Tests.Images.Registry;
using Xunit;
using FakeTimeProvider = Gantry.Tests.Registry.FakeTimeProvider;

namespace Gantry.Tests.Images;

/// <summary>
/// Pull policies against an in-memory registry. The images have no layers, so they import without
/// unpacking anything (no root needed), yet go through the whole pull and import path.
/// </summary>
public sealed class ImagePullerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-puller-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeRegistry _registry = new();
    private readonly ImageStore _store;
    private readonly RegistryClient _client;
    private readonly ImagePuller _puller;

    public ImagePullerTests()
    {
        _store = new ImageStore(Path.Combine(_directory, "store"), _time);
        _client = new RegistryClient(_registry);
        _puller = new ImagePuller(_store, _client, _time);
    }

    public void Dispose()
    {
        _puller.Dispose();
        _client.Dispose();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_pull_resolves_this_platform_from_an_index_and_records_where_the_image_came_from()
    {
        var (arm, _) = _registry.AddEmptyImage("team/app", "arm-only", "arm64");
        var (amd, config) = _registry.AddEmptyImage("team/app", "amd-only", "amd64");
        var index = _registry.AddManifest("team/app", "application/vnd.oci.image.index.v1+json", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(Entry(arm, "arm64"), Entry(amd, ImageLayoutReader.PlatformArchitecture)),
        }, "1");

        var result = await _puller.PullAsync("registry.example/team/app:1", insecure: false, null, CancellationToken.None);

        Assert.Equal(config, result.Image.Id);
        Assert.Equal(index, result.Digest);
        Assert.Equal(["registry.example/team/app:1"], result.Image.Names);
        Assert.Equal([$"registry.example/team/app@{index}"], result.Image.RepoDigests);
        Assert.False(result.UpToDate);
        Assert.True((await _puller.PullAsync("registry.example/team/app:1", false, null, CancellationToken.None)).UpToDate);
    }

    [Fact]
    public async Task Never_with_a_missing_image_fails_with_ErrImageNeverPull_and_asks_no_registry()
    {
        var error = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", "Never", "uid_app", null, null, CancellationToken.None));

        Assert.Equal("ErrImageNeverPull", error.Reason);
        Assert.Equal("Container image \"registry.example/team/app:1\" is not present with pull policy of Never", error.Message);
        Assert.Empty(_registry.Requests);
    }

    [Fact]
    public async Task IfNotPresent_pulls_a_missing_image_once_and_then_uses_it()
    {
        var (_, config) = _registry.AddEmptyImage("team/app", "1");

        var first = await _puller.EnsureAsync("registry.example/team/app:1", "IfNotPresent", "uid_app", null, null, CancellationToken.None);
        var asked = _registry.Requests.Count;
        var second = await _puller.EnsureAsync("registry.example/team/app:1", "IfNotPresent", "uid_app", null, null, CancellationToken.None);

        Assert.Equal(config, first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(asked, _registry.Requests.Count);
    }

    [Fact]
    public async Task Always_asks_the_registry_again_for_an_image_pulled_from_it()
    {
        _registry.AddEmptyImage("team/app", "latest");
        await _puller.EnsureAsync("registry.example/team/app", null, "uid_app", null, null, CancellationToken.None);
        var asked = _registry.Requests.Count;

        await _puller.EnsureAsync("registry.example/team/app", null, "uid_app", null, null, CancellationToken.None);

        Assert.True(_registry.Requests.Count > asked);
    }

    [Fact]
    public async Task Always_uses_a_locally_imported_image_without_any_registry()
    {
        _registry.Unreachable = true;
        var imported = (await _store.ImportAsync(WriteEmptyLayout(), "registry.example/team/app:latest")).Single();

        var image = await _puller.EnsureAsync("registry.example/team/app:latest", "Always", "uid_app", null, null, CancellationToken.None);

        Assert.Equal(imported.Id, image.Id);
        Assert.Empty(_registry.Requests);
    }

    [Fact]
    public async Task A_pull_is_reported_as_the_kubelet_reports_it()
    {
        _registry.AddEmptyImage("team/app", "1");
        var events = new List<ImageEvent>();

        var image = await _puller.EnsureAsync("registry.example/team/app:1", "IfNotPresent", "uid_app", null, events.Add, CancellationToken.None);

        Assert.Equal(new ImageEvent(false, "Pulling", "Pulling image \"registry.example/team/app:1\""), events[0]);
        Assert.Equal(("Pulled", false), (events[1].Reason, events[1].Warning));
        Assert.Matches(
            $@"^Successfully pulled image ""registry\.example/team/app:1"" in \d+m?s \(\d+m?s including waiting\)\. Image size: {_store.SizeOf(image)} bytes\.$",
            events[1].Message);
    }

    [Fact]
    public async Task An_image_already_here_is_reported_present()
    {
        _registry.AddEmptyImage("team/app", "1");
        await _puller.EnsureAsync("registry.example/team/app:1", "IfNotPresent", "uid_app", null, null, CancellationToken.None);
        var events = new List<ImageEvent>();

        await _puller.EnsureAsync("registry.example/team/app:1", "IfNotPresent", "uid_app", null, events.Add, CancellationToken.None);

        Assert.Equal([new ImageEvent(false, "Pulled", "Container image \"registry.example/team/app:1\" already present on machine")], events);
    }

    [Fact]
    public async Task A_failed_pull_is_reported_Failed_then_BackOff()
    {
        _registry.Unreachable = true;
        var events = new List<ImageEvent>();

        await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", null, "uid_app", null, events.Add, CancellationToken.None));
        await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", null, "uid_app", null, events.Add, CancellationToken.None));

        Assert.Equal(["Pulling", "Failed", "BackOff"], events.Select(e => e.Reason));
        Assert.Equal([false, true, false], events.Select(e => e.Warning));
        Assert.StartsWith("Failed to pull image \"registry.example/team/app:1\": failed to pull and unpack image", events[1].Message, StringComparison.Ordinal);
        Assert.Equal("Back-off pulling image \"registry.example/team/app:1\"", events[2].Message);
    }

    [Fact]
    public async Task A_failed_pull_is_ErrImagePull_then_ImagePullBackOff_until_the_back_off_passes()
    {
        _registry.Unreachable = true;

        var first = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", null, "uid_app", null, null, CancellationToken.None));
        var asked = _registry.Requests.Count;
        var second = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", null, "uid_app", null, null, CancellationToken.None));
        _time.Advance(PullBackOff.Initial);
        var third = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/app:1", null, "uid_app", null, null, CancellationToken.None));

        Assert.Equal("ErrImagePull", first.Reason);
        Assert.StartsWith("failed to pull and unpack image \"registry.example/team/app:1\": failed to do request", first.Message, StringComparison.Ordinal);
        Assert.Equal("ImagePullBackOff", second.Reason);
        Assert.Equal("Back-off pulling image \"registry.example/team/app:1\"", second.Message);
        Assert.Equal("ErrImagePull", third.Reason);
        Assert.True(_registry.Requests.Count > asked);
    }

    [Fact]
    public async Task An_image_missing_from_the_registry_is_ErrImagePull_with_the_registrys_answer()
    {
        var error = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("registry.example/team/nope:1", null, "uid_nope", null, null, CancellationToken.None));

        Assert.Equal("ErrImagePull", error.Reason);
        Assert.Equal("failed to pull and unpack image \"registry.example/team/nope:1\": registry.example/team/nope:1: not found", error.Message);
    }

    [Fact]
    public async Task An_unparseable_image_name_is_InvalidImageName()
    {
        var error = await Assert.ThrowsAsync<ImagePullException>(() =>
            _puller.EnsureAsync("Not A/Name", "IfNotPresent", "uid_x", null, null, CancellationToken.None));

        Assert.Equal("InvalidImageName", error.Reason);
    }

    private static JsonObject Entry(string digest, string architecture) => new()
    {
        ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
        ["digest"] = digest,
        ["size"] = 1,
        ["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = architecture },
    };

    private string WriteEmptyLayout()
    {
        var layout = Path.Combine(_directory, "layout");
        var blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        string Blob(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var digest = FakeRegistry.Digest(bytes);
            File.WriteAllBytes(Path.Combine(blobs, digest[7..]), bytes);
            return digest;
        }

        var config = Blob("""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var manifest = Blob($$"""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":1},"layers":[]}""");
        File.WriteAllText(Path.Combine(layout, "index.json"),
            $$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{manifest}}","size":1}]}""");
        return layout;
    }
}
