using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ImageManifestParserTests
{
    [Fact]
    public void A_docker_save_manifest_lists_each_images_config_tags_and_layers_in_order()
    {
        var entries = ImageManifestParser.ParseDockerManifest("""
            [{"Config":"abc.json","RepoTags":["busybox:latest","busybox:1.36"],"Layers":["l1/layer.tar","blobs/sha256/22"]}]
            """);

        var entry = Assert.Single(entries);
        Assert.Equal("abc.json", entry.Config);
        Assert.Equal(["busybox:latest", "busybox:1.36"], entry.RepoTags);
        Assert.Equal(["l1/layer.tar", "blobs/sha256/22"], entry.Layers);
    }

    [Fact]
    public void An_oci_index_yields_descriptors_with_platforms_and_annotations()
    {
        var descriptors = ImageManifestParser.ParseOciIndex("""
            {"schemaVersion":2,"manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aa","size":10,
               "platform":{"os":"linux","architecture":"arm64"},
               "annotations":{"io.containerd.image.name":"docker.io/library/nginx:1.27"}}]}
            """);

        var descriptor = Assert.Single(descriptors);
        Assert.Equal(("sha256:aa", 10L, "linux", "arm64"), (descriptor.Digest, descriptor.Size, descriptor.Os, descriptor.Architecture));
        Assert.Equal("docker.io/library/nginx:1.27", descriptor.Annotations["io.containerd.image.name"]);
        Assert.False(ImageManifestParser.IsIndex(descriptor.MediaType));
        Assert.True(ImageManifestParser.IsIndex("application/vnd.docker.distribution.manifest.list.v2+json"));
    }

    [Fact]
    public void An_oci_manifest_names_its_config_and_its_layers_bottom_first()
    {
        var (config, layers) = ImageManifestParser.ParseOciManifest("""
            {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cc","size":2},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:l1","size":3},
                       {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:l2","size":4}]}
            """);

        Assert.Equal("sha256:cc", config.Digest);
        Assert.Equal(["sha256:l1", "sha256:l2"], layers.Select(l => l.Digest));
    }

    [Fact]
    public void An_image_config_gives_how_to_run_it_and_its_diff_ids()
    {
        var (config, diffIds) = ImageManifestParser.ParseImageConfig("""
            {"architecture":"amd64","os":"linux",
             "config":{"Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],
                       "Env":["PATH=/usr/bin","NGINX_VERSION=1.27"],"WorkingDir":"","User":"101"},
             "rootfs":{"type":"layers","diff_ids":["sha256:d1","sha256:d2"]}}
            """);

        Assert.Equal(["/docker-entrypoint.sh"], config.Entrypoint);
        Assert.Equal(["nginx", "-g", "daemon off;"], config.Cmd);
        Assert.Equal(["PATH=/usr/bin", "NGINX_VERSION=1.27"], config.Env);
        Assert.Null(config.WorkingDir);
        Assert.Equal("101", config.User);
        Assert.Equal(["sha256:d1", "sha256:d2"], diffIds);
    }

    [Fact]
    public void A_config_without_a_config_section_runs_nothing_by_itself()
    {
        var (config, diffIds) = ImageManifestParser.ParseImageConfig("""{"rootfs":{"diff_ids":[]}}""");

        Assert.Empty(config.Entrypoint);
        Assert.Empty(config.Cmd);
        Assert.Empty(diffIds);
    }

    [Fact]
    public void A_descriptor_without_a_digest_is_rejected() =>
        Assert.Throws<InvalidDataException>(() => ImageManifestParser.ParseOciIndex("""{"manifests":[{"mediaType":"x"}]}"""));
}
