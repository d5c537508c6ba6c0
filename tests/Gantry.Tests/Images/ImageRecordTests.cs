using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class ImageRecordTests
{
    private static ImageRecord Record(params string[] repoDigests) =>
        new("sha256:" + new string('1', 64), ["docker.io/library/busybox:latest"], ImageConfig.Empty, [], DateTimeOffset.UnixEpoch, null, repoDigests);

    [Fact]
    public void A_name_is_pulled_when_its_repository_has_a_digest_recorded() =>
        Assert.True(Record("docker.io/library/busybox@sha256:" + new string('2', 64)).WasPulledAs("docker.io/library/busybox:latest"));

    [Fact]
    public void A_digest_of_another_repository_does_not_count() =>
        Assert.False(Record("docker.io/library/busybox2@sha256:" + new string('2', 64)).WasPulledAs("docker.io/library/busybox:latest"));

    [Fact]
    public void An_imported_image_has_no_registry_behind_it() => Assert.False(Record().WasPulledAs("docker.io/library/busybox:latest"));
}
