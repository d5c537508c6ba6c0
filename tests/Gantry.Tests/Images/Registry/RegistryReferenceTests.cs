using Gantry.Agent.Images.Registry;
using Xunit;

namespace Gantry.Tests.Images.Registry;

public sealed class RegistryReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null, "registry-1.docker.io")]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "registry-1.docker.io")]
    [InlineData("bitnami/redis:7", "docker.io", "bitnami/redis", "7", null, "registry-1.docker.io")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", "latest", null, "registry-1.docker.io")]
    [InlineData("ghcr.io/org/team/app:v1", "ghcr.io", "org/team/app", "v1", null, "ghcr.io")]
    [InlineData("127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000", "test/busybox", "1", null, "127.0.0.1:5000")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost")]
    public void References_resolve_to_registry_repository_and_tag_as_docker_reads_them(
        string text, string domain, string repository, string tag, string? digest, string host)
    {
        var reference = RegistryReference.Parse(text);

        Assert.Equal((domain, repository, tag, digest, host), (reference.Domain, reference.Repository, reference.Tag, reference.Digest, reference.Host));
    }

    [Fact]
    public void A_digest_pins_the_manifest_and_implies_no_tag()
    {
        var digest = "sha256:" + new string('a', 64);

        var reference = RegistryReference.Parse("busybox@" + digest);

        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.ManifestReference);
        Assert.Equal($"docker.io/library/busybox@{digest}", reference.ToString());
    }

    [Fact]
    public void A_tag_and_a_digest_together_fetch_by_digest()
    {
        var digest = "sha256:" + new string('b', 64);

        var reference = RegistryReference.Parse("quay.io/org/app:1.0@" + digest);

        Assert.Equal("1.0", reference.Tag);
        Assert.Equal(digest, reference.ManifestReference);
    }

    [Fact]
    public void The_normalized_form_is_the_name_the_store_uses() =>
        Assert.Equal("docker.io/library/busybox:latest", RegistryReference.Parse("busybox").ToString());

    [Theory]
    [InlineData("localhost:5000/app", true)]
    [InlineData("127.0.0.1:5000/app", true)]
    [InlineData("127.1.2.3/app", true)]
    [InlineData("[::1]:5000/app", true)]
    [InlineData("registry.example:5000/app", false)]
    [InlineData("busybox", false)]
    public void Only_loopback_registries_are_spoken_to_over_plain_http_by_default(string text, bool loopback) =>
        Assert.Equal(loopback, RegistryReference.Parse(text).IsLoopback);

    [Theory]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("busybox:bad tag")]
    [InlineData("busybox:-leading-dash")]
    [InlineData("busybox@sha256:short")]
    [InlineData("registry.example/App:1")]
    [InlineData("a//b")]
    public void Invalid_references_are_rejected_with_a_reason(string text) =>
        Assert.Throws<FormatException>(() => RegistryReference.Parse(text));
}
