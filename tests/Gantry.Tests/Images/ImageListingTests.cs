using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class ImageListingTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ImageRecord Image(string hex, DateTimeOffset? created, params string[] names) =>
        new("sha256:" + hex.PadRight(64, '0'), names, ImageConfig.Empty, [], Now, created);

    [Theory]
    [InlineData("docker.io/library/busybox:latest", "busybox", "latest")]
    [InlineData("docker.io/bitnami/redis:7", "bitnami/redis", "7")]
    [InlineData("127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000/test/busybox", "1")]
    [InlineData("ghcr.io/org/app@sha256:abc", "ghcr.io/org/app", "<none>")]
    public void Names_show_in_their_familiar_form_as_docker_images_shows_them(string name, string repository, string tag) =>
        Assert.Equal((repository, tag), ImageListing.Split(name));

    [Fact]
    public void Each_name_is_a_row_and_a_nameless_image_still_shows()
    {
        var rows = ImageListing.Rows(
            [Image("abcdef0123456789", Now - TimeSpan.FromDays(15), "docker.io/library/busybox:latest", "docker.io/library/busybox:1"), Image("fedcba", null)],
            _ => 1_234_567,
            Now);

        Assert.Equal(
            [
                new ImageListingRow("<none>", "<none>", "fedcba000000", "N/A", "1.23MB"),
                new ImageListingRow("busybox", "1", "abcdef012345", "2 weeks ago", "1.23MB"),
                new ImageListingRow("busybox", "latest", "abcdef012345", "2 weeks ago", "1.23MB"),
            ],
            rows);
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(4_260, "4.26kB")]
    [InlineData(1_980_000, "1.98MB")]
    [InlineData(72_800_000_000, "72.8GB")]
    public void Sizes_use_decimal_units_with_three_digits(long bytes, string text) => Assert.Equal(text, HumanUnits.Size(bytes));

    [Theory]
    [InlineData(30, "30 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(600, "10 minutes")]
    [InlineData(3_700, "About an hour")]
    [InlineData(36_000, "10 hours")]
    [InlineData(3 * 86_400, "3 days")]
    [InlineData(20 * 86_400, "2 weeks")]
    [InlineData(90 * 86_400, "3 months")]
    [InlineData(800 * 86_400, "2 years")]
    public void Ages_read_as_docker_prints_them(int seconds, string text) => Assert.Equal(text, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));
}
