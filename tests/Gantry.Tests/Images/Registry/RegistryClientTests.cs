using System.Text.Json.Nodes;
using Gantry.Agent.Images;
using Gantry.Agent.Images.Registry;
using Xunit;

namespace Gantry.Tests.Images.Registry;

public sealed class RegistryClientTests
{
    [Fact]
    public async Task A_bearer_challenge_is_answered_with_an_anonymous_token_for_the_repository_and_retried()
    {
        var registry = new FakeRegistry { RequireToken = true };
        var (digest, _) = registry.AddEmptyImage("library/busybox", "latest");
        using var client = new RegistryClient(registry);

        var manifest = await client.GetManifestAsync(RegistryReference.Parse("busybox"), insecure: false, CancellationToken.None);

        Assert.Equal(digest, manifest.Digest);
        var tokenRequest = Assert.Single(registry.Requests, r => r.RequestUri!.Host == "auth.example");
        Assert.Equal("?service=registry.example&scope=repository%3Alibrary%2Fbusybox%3Apull", tokenRequest.RequestUri!.Query);
        Assert.Equal("Bearer " + FakeRegistry.Token, registry.Requests[^1].Headers.Authorization?.ToString());
        Assert.Equal("https://registry-1.docker.io/v2/library/busybox/manifests/latest", registry.Requests[^1].RequestUri!.ToString());
    }

    [Fact]
    public async Task The_token_is_reused_for_later_requests_to_the_same_repository()
    {
        var registry = new FakeRegistry { RequireToken = true };
        var (_, config) = registry.AddEmptyImage("team/app", "1");
        using var client = new RegistryClient(registry);
        var reference = RegistryReference.Parse("registry.example/team/app:1");
        await client.GetManifestAsync(reference, insecure: false, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), "gantry-blob-" + Guid.NewGuid().ToString("N"));

        try
        {
            var size = registry.Requests.Count;
            await client.DownloadBlobAsync(reference, new OciDescriptor("", config, -1, new Dictionary<string, string>(), null, null), path, false, null, CancellationToken.None);
            Assert.Equal(size + 1, registry.Requests.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Manifests_are_asked_for_in_every_oci_and_docker_v2_media_type()
    {
        var registry = new FakeRegistry();
        registry.AddEmptyImage("team/app", "1");
        using var client = new RegistryClient(registry);

        await client.GetManifestAsync(RegistryReference.Parse("localhost:5000/team/app:1"), insecure: false, CancellationToken.None);

        var request = Assert.Single(registry.Requests);
        Assert.Equal("http://localhost:5000/v2/team/app/manifests/1", request.RequestUri!.ToString());
        Assert.Equal(
            [
                "application/vnd.oci.image.index.v1+json",
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.distribution.manifest.v2+json",
            ],
            request.Headers.Accept.Select(a => a.MediaType));
    }

    [Fact]
    public async Task Insecure_registries_are_spoken_to_over_http()
    {
        var registry = new FakeRegistry();
        registry.AddEmptyImage("team/app", "1");
        using var client = new RegistryClient(registry);

        await client.GetManifestAsync(RegistryReference.Parse("registry.example:5000/team/app:1"), insecure: true, CancellationToken.None);

        Assert.Equal("http", Assert.Single(registry.Requests).RequestUri!.Scheme);
    }

    [Fact]
    public async Task A_manifest_sent_with_a_generic_content_type_is_typed_by_what_it_declares()
    {
        var registry = new FakeRegistry { GenericContentType = true };
        registry.AddManifest("team/app", "application/vnd.docker.distribution.manifest.list.v2+json", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.docker.distribution.manifest.list.v2+json",
            ["manifests"] = new JsonArray(),
        }, "1");
        using var client = new RegistryClient(registry);

        var manifest = await client.GetManifestAsync(RegistryReference.Parse("registry.example/team/app:1"), false, CancellationToken.None);

        Assert.Equal(ImageManifestParser.DockerManifestListMediaType, manifest.MediaType);
    }

    [Fact]
    public async Task A_manifest_fetched_by_digest_must_hash_to_that_digest()
    {
        var registry = new FakeRegistry();
        var (digest, _) = registry.AddEmptyImage("team/app", "1");
        var (other, _) = registry.AddEmptyImage("team/app", "2", "arm64");
        using var client = new RegistryClient(new DigestSwappingHandler(registry, other, digest));

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            client.GetManifestAsync(RegistryReference.Parse($"registry.example/team/app@{other}"), false, CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_manifest_is_reported_as_not_found()
    {
        using var client = new RegistryClient(new FakeRegistry());

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.GetManifestAsync(RegistryReference.Parse("registry.example/team/nope:1"), false, CancellationToken.None));

        Assert.Equal("registry.example/team/nope:1: not found", error.Message);
    }

    /// <summary>Serves the manifest stored under one digest when asked for another: a registry lying about content.</summary>
    private sealed class DigestSwappingHandler(FakeRegistry inner, string asked, string served) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(request.RequestUri!.ToString().Replace(asked, served, StringComparison.Ordinal));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
