using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class ImagePullPolicyTests
{
    [Theory]
    [InlineData("busybox", "Always")]
    [InlineData("busybox:latest", "Always")]
    [InlineData("busybox:1.36", "IfNotPresent")]
    [InlineData("127.0.0.1:5000/test/busybox", "Always")]
    [InlineData("127.0.0.1:5000/test/busybox:1", "IfNotPresent")]
    [InlineData("busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "IfNotPresent")]
    public void An_unset_policy_defaults_as_the_api_server_defaults_it(string image, string policy) =>
        Assert.Equal(policy, ImagePullPolicy.Resolve(null, image));

    [Fact]
    public void A_set_policy_is_kept() => Assert.Equal("Never", ImagePullPolicy.Resolve("Never", "busybox"));

    [Fact]
    public void An_unknown_policy_is_refused() => Assert.Throws<ArgumentException>(() => ImagePullPolicy.Resolve("Sometimes", "busybox"));
}
