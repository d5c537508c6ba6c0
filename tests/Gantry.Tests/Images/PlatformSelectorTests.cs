using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class PlatformSelectorTests
{
    private static OciDescriptor Entry(string digest, string? os, string? architecture) =>
        new("application/vnd.oci.image.manifest.v1+json", digest, 1, new Dictionary<string, string>(), os, architecture);

    [Fact]
    public void The_entry_for_linux_on_this_architecture_is_chosen_from_an_index()
    {
        var index = new[] { Entry("arm", "linux", "arm64"), Entry("win", "windows", "amd64"), Entry("x86", "linux", "amd64"), Entry("att", "unknown", "unknown") };

        Assert.Equal("x86", PlatformSelector.Select(index, "amd64")?.Digest);
        Assert.Equal("arm", PlatformSelector.Select(index, "arm64")?.Digest);
    }

    [Fact]
    public void An_index_without_this_architecture_offers_nothing_and_says_what_it_has()
    {
        var index = new[] { Entry("arm", "linux", "arm64"), Entry("s390", "linux", "s390x") };

        Assert.Null(PlatformSelector.Select(index, "amd64"));
        Assert.Equal("linux/arm64, linux/s390x", PlatformSelector.Describe(index));
    }

    [Fact]
    public void An_index_whose_entries_name_no_platform_is_a_plain_list_and_its_first_is_taken() =>
        Assert.Equal("first", PlatformSelector.Select([Entry("first", null, null), Entry("second", null, null)], "amd64")?.Digest);
}
