using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Images;

/// <summary>
/// The built-in "busybox" image, made on first use from the host's static busybox (Debian's
/// busybox-static) so that busybox pods run on a node with no registry access. It is written as an
/// ordinary OCI layout and imported through the same path as any archive. The layer is
/// byte-for-byte reproducible (fixed order, owners and times), so every node with the same busybox
/// build gets the same image ID.
/// </summary>
internal static class BusyboxImage
{
    public const string Reference = "docker.io/library/busybox:latest";
    public const string BinaryPath = "/bin/busybox";

    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public static async Task WriteLayoutAsync(string layout, string busybox, CancellationToken cancellationToken)
    {
        var applets = (await ExternalCommand.RunAsync(busybox, ["--list"], cancellationToken))
            .ThrowOnFailure($"{busybox} --list").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox" && !a.Contains('/', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        var blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layerPath = Path.Combine(layout, "layer.tar");
        await using (var layer = File.Create(layerPath))
        {
            await WriteLayerAsync(layer, busybox, applets, cancellationToken);
        }

        var layerBlob = await StoreBlobAsync(blobs, layerPath, cancellationToken);
        var config = new JsonObject
        {
            ["architecture"] = ImageLayoutReader.PlatformArchitecture,
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["Cmd"] = new JsonArray("sh"),
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layerBlob.Digest) },
        };
        var configBlob = await StoreJsonAsync(blobs, config, cancellationToken);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(ConfigMediaType, configBlob),
            ["layers"] = new JsonArray(Descriptor(LayerMediaType, layerBlob)),
        };
        var manifestBlob = await StoreJsonAsync(blobs, manifest, cancellationToken);
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(Descriptor(ManifestMediaType, manifestBlob, new JsonObject { ["io.containerd.image.name"] = Reference })),
        };
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), index.ToJsonString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", cancellationToken);
    }

    private static async Task WriteLayerAsync(Stream output, string busybox, IReadOnlyList<string> applets, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        const UnixFileMode directory = (UnixFileMode)0b111_101_101;
        foreach (var (name, mode) in new[]
        {
            ("bin/", directory), ("dev/", directory), ("etc/", directory), ("home/", directory),
            ("proc/", directory), ("root/", (UnixFileMode)0b111_000_000), ("sys/", directory),
            ("tmp/", (UnixFileMode)0b1_111_111_111), ("usr/", directory), ("var/", directory),
        })
        {
            await writer.WriteEntryAsync(Entry(TarEntryType.Directory, name, mode), cancellationToken);
        }

        await using (var binary = File.OpenRead(busybox))
        {
            var entry = Entry(TarEntryType.RegularFile, "bin/busybox", (UnixFileMode)0b111_101_101);
            entry.DataStream = binary;
            await writer.WriteEntryAsync(entry, cancellationToken);
        }

        foreach (var applet in applets)
        {
            var link = Entry(TarEntryType.SymbolicLink, "bin/" + applet, (UnixFileMode)0b111_111_111);
            link.LinkName = "busybox";
            await writer.WriteEntryAsync(link, cancellationToken);
        }

        await WriteTextAsync(writer, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n", cancellationToken);
        await WriteTextAsync(writer, "etc/group", "root:x:0:\nnobody:x:65534:\n", cancellationToken);
    }

    private static async Task WriteTextAsync(TarWriter writer, string name, string text, CancellationToken cancellationToken)
    {
        var entry = Entry(TarEntryType.RegularFile, name, (UnixFileMode)0b110_100_100);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) =>
        new(type, name) { Mode = mode, ModificationTime = DateTimeOffset.UnixEpoch, Uid = 0, Gid = 0 };

    private static async Task<(string Digest, long Size)> StoreBlobAsync(string blobs, string path, CancellationToken cancellationToken)
    {
        string digest;
        await using (var file = File.OpenRead(path))
        {
            digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        var size = new FileInfo(path).Length;
        File.Move(path, Path.Combine(blobs, digest[7..]), overwrite: true);
        return (digest, size);
    }

    private static async Task<(string Digest, long Size)> StoreJsonAsync(string blobs, JsonObject json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest[7..]), bytes, cancellationToken);
        return (digest, bytes.Length);
    }

    private static JsonObject Descriptor(string mediaType, (string Digest, long Size) blob, JsonObject? annotations = null)
    {
        var descriptor = new JsonObject { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };
        if (annotations is not null)
        {
            descriptor["annotations"] = annotations;
        }

        return descriptor;
    }
}
