using System.Security.Cryptography;
using System.Text;
using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ImageLayoutReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-layout-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Blob(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(Path.Combine(_directory, "blobs", "sha256"));
        File.WriteAllBytes(ImageLayoutReader.BlobPath(_directory, digest), bytes);
        return digest;
    }

    [Fact]
    public void A_multi_platform_oci_layout_yields_this_machines_image_under_its_containerd_name()
    {
        var config = Blob("{}");
        var layer = Blob("layer");
        var manifest = Blob($$$"""{"config":{"digest":"{{{config}}}"},"layers":[{"digest":"{{{layer}}}"}]}""");
        var other = Blob($$$"""{"config":{"digest":"{{{config}}}"},"layers":[]}""");
        var index = Blob($$$"""
            {"manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{other}}}","platform":{"os":"linux","architecture":"s390x"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifest}}}","platform":{"os":"linux","architecture":"{{{ImageLayoutReader.PlatformArchitecture}}}"}}]}
            """);
        File.WriteAllText(Path.Combine(_directory, "index.json"), $$$"""
            {"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{index}}}",
              "annotations":{"io.containerd.image.name":"ghcr.io/org/app:1","org.opencontainers.image.ref.name":"1"}}]}
            """);

        var source = Assert.Single(ImageLayoutReader.Read(_directory));

        Assert.Equal(["ghcr.io/org/app:1"], source.Names);
        Assert.Equal(ImageLayoutReader.BlobPath(_directory, config), source.ConfigPath);
        Assert.Equal([(ImageLayoutReader.BlobPath(_directory, layer), (string?)layer)], source.Layers);
    }

    [Fact]
    public void A_bare_tag_annotation_names_no_image()
    {
        var config = Blob("{}");
        var manifest = Blob($$$"""{"config":{"digest":"{{{config}}}"},"layers":[]}""");
        File.WriteAllText(Path.Combine(_directory, "index.json"), $$$"""
            {"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifest}}}","annotations":{"org.opencontainers.image.ref.name":"latest"}}]}
            """);

        Assert.Empty(Assert.Single(ImageLayoutReader.Read(_directory)).Names);
    }

    [Fact]
    public void Docker_save_paths_that_leave_the_archive_are_rejected()
    {
        File.WriteAllText(Path.Combine(_directory, "manifest.json"), """[{"Config":"../../etc/passwd","RepoTags":[],"Layers":[]}]""");

        Assert.Throws<InvalidDataException>(() => ImageLayoutReader.Read(_directory));
    }

    [Fact]
    public void Digests_that_are_not_plain_hex_never_become_paths() =>
        Assert.Throws<InvalidDataException>(() => ImageLayoutReader.BlobPath(_directory, "sha256:../../../etc/passwd"));
}
