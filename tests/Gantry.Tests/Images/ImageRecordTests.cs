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

    [Fact]
    public void The_image_id_of_a_pulled_image_is_the_digest_of_the_repository_it_runs_as()
    {
        var mirror = "mirror.example/library/busybox@sha256:" + new string('3', 64);
        var hub = "docker.io/library/busybox@sha256:" + new string('2', 64);

        Assert.Equal(hub, Record(mirror, hub).ImageIdFor("docker.io/library/busybox:latest"));
    }

    [Fact]
    public void The_image_id_of_an_imported_image_is_its_own_id() =>
        Assert.Equal("sha256:" + new string('1', 64), Record().ImageIdFor("docker.io/library/busybox:latest"));

    [Fact]
    public void A_container_run_as_one_of_the_images_tags_is_named_by_that_tag()
    {
        var record = Record() with { Names = ["docker.io/library/busybox:latest", "docker.io/library/busybox:1.36"] };

        Assert.Equal("docker.io/library/busybox:1.36", record.TagFor("docker.io/library/busybox:1.36"));
    }

    [Fact]
    public void A_container_run_by_digest_is_named_by_the_images_first_tag() =>
        Assert.Equal("docker.io/library/busybox:latest", Record().TagFor("docker.io/library/busybox@sha256:" + new string('1', 64)));
}
