using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest")]
    [InlineData("index.docker.io/library/busybox:1", "docker.io/library/busybox:1")]
    [InlineData("bitnami/redis:7", "docker.io/bitnami/redis:7")]
    [InlineData("ghcr.io/org/app", "ghcr.io/org/app:latest")]
    [InlineData("localhost/app:dev", "localhost/app:dev")]
    [InlineData("registry.local:5000/app", "registry.local:5000/app:latest")]
    [InlineData("busybox@sha256:abc", "docker.io/library/busybox@sha256:abc")]
    public void References_are_normalized_as_docker_and_kubernetes_read_them(string reference, string normalized) =>
        Assert.Equal(normalized, ImageReference.Normalize(reference));
}
