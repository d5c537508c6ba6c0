using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.IntegrationTests;

/// <summary>Builds `docker save` archives in memory, layer by layer, whiteouts included.</summary>
public static class TestArchives
{
    public static TarEntry Directory(string name) => new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static TarEntry File(string name, string content) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    public static TarEntry Symlink(string name, string target) =>
        new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 };

    public static byte[] Tar(IEnumerable<TarEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A docker save archive of one image; <paramref name="diffIds"/> overrides the layers' true digests.</summary>
    public static byte[] DockerSave(string repoTag, IReadOnlyList<IReadOnlyList<TarEntry>> layers, IReadOnlyList<string>? diffIds = null)
    {
        var layerTars = layers.Select(Tar).ToList();
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh") },
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray([.. (diffIds ?? layerTars.Select(Digest)).Select(d => (JsonNode?)d)]),
            },
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configName = Digest(configBytes)[7..] + ".json";
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(repoTag),
            ["Layers"] = new JsonArray([.. layerTars.Select((_, i) => (JsonNode?)$"layer{i}/layer.tar")]),
        });

        var entries = new List<TarEntry>
        {
            new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest.ToJsonString())) },
            new PaxTarEntry(TarEntryType.RegularFile, configName) { DataStream = new MemoryStream(configBytes) },
        };
        entries.AddRange(layerTars.Select((tar, i) => new PaxTarEntry(TarEntryType.RegularFile, $"layer{i}/layer.tar") { DataStream = new MemoryStream(tar) }));
        return Tar(entries);
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
