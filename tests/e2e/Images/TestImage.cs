using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.E2E.Images;

/// <summary>
/// A small runnable image built by the test itself: one layer holding the host's static busybox
/// (with sh, cat, sleep and echo linked to it) and /etc/marker, whose text lets a test tell which
/// image a container runs. It can be written as the blobs a registry push needs or as a
/// <c>docker save</c> archive.
/// </summary>
public sealed class TestImage
{
    public const string BusyboxPath = "/bin/busybox";

    private TestImage(byte[] layer, string diffId, byte[] config)
    {
        Layer = layer;
        DiffId = diffId;
        ConfigJson = config;
    }

    /// <summary>The layer, gzip-compressed as registries usually hold layers.</summary>
    public byte[] Layer { get; }

    /// <summary>sha256 of the uncompressed layer tar.</summary>
    public string DiffId { get; }

    public byte[] ConfigJson { get; }

    /// <summary>The image ID gantry will show: the config's digest.</summary>
    public string Id => Digest(ConfigJson);

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static TestImage Create(string marker, string architecture)
    {
        if (!File.Exists(BusyboxPath))
        {
            throw new InvalidOperationException($"{BusyboxPath} is missing: run scripts/bootstrap (it installs busybox-static)");
        }

        var tar = LayerTar(marker);
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        var diffId = Digest(tar);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["created"] = "2024-01-02T03:04:05Z",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/bin"),
                ["Cmd"] = new JsonArray("sh"),
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
        }.ToJsonString());
        return new TestImage(gzipped.ToArray(), diffId, config);
    }

    /// <summary>The OCI image manifest naming the config and the gzipped layer.</summary>
    public byte[] Manifest() => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
        ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", ConfigJson),
        ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Layer)),
    }.ToJsonString());

    /// <summary>Writes a <c>docker save</c> archive (manifest.json, config, &lt;id&gt;/layer.tar) tagged <paramref name="repoTag"/>.</summary>
    public void WriteDockerSave(string path, string repoTag)
    {
        using var uncompressed = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(Layer), CompressionMode.Decompress))
        {
            gzip.CopyTo(uncompressed);
        }

        var configName = Id[7..] + ".json";
        var layerName = DiffId[7..] + "/layer.tar";
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(repoTag),
            ["Layers"] = new JsonArray(layerName),
        });
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        Add(writer, configName, ConfigJson);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, DiffId[7..] + "/"));
        Add(writer, layerName, uncompressed.ToArray());
        Add(writer, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    private static JsonObject Descriptor(string mediaType, byte[] content) =>
        new() { ["mediaType"] = mediaType, ["digest"] = Digest(content), ["size"] = content.Length };

    private static byte[] LayerTar(string marker)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var directory in new[] { "bin/", "etc/", "tmp/", "proc/", "sys/", "dev/" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)0b111_101_101 });
            }

            using (var busybox = File.OpenRead(BusyboxPath))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = busybox });
            }

            foreach (var applet in new[] { "sh", "cat", "sleep", "echo" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            }

            Add(writer, "etc/marker", Encoding.UTF8.GetBytes(marker + "\n"));
        }

        return output.ToArray();
    }

    private static void Add(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(content) });
}
