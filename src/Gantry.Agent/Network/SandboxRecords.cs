using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>Sandbox records on disk, one JSON file per key: a pod uid for pods' sandboxes, a sandbox id in the pool.</summary>
internal sealed class SandboxRecords(string directory)
{
    private const string Extension = ".json";

    public async Task WriteAsync(string key, SandboxRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var json = new JsonObject
        {
            ["podUid"] = record.PodUid,
            ["containerId"] = record.ContainerId,
            ["podName"] = record.PodName,
            ["podNamespace"] = record.PodNamespace,
            ["networkNamespace"] = record.NetworkNamespace,
            ["pluginMasquerade"] = record.PluginMasquerade,
            ["loopbackPlugin"] = record.LoopbackPlugin,
            ["result"] = JsonNode.Parse(record.ResultJson),
        };
        var path = PathOf(key);
        var temporary = path + ".tmp";

        // Written aside, then renamed: an agent that dies leaves the old record or the new one, never half of one. It
        // is not flushed to disk, as nothing it describes (the namespace, its veth, its address) outlives the kernel:
        // after a power loss the record may be empty or gone, and an unreadable one is a broken sandbox, made again.
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <returns>The record, or null when there is none.</returns>
    /// <exception cref="InvalidDataException">The file exists but is not a record.</exception>
    public async Task<SandboxRecord?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(text) is not JsonObject obj)
            {
                throw new InvalidDataException($"{path} does not hold a JSON object");
            }

            var podUid = (string?)obj["podUid"] ?? throw new InvalidDataException($"{path} has no podUid");

            // Records written before the pool and the node-wide masquerade rule name no container id (it was the
            // pod uid) and were made with the plugin's ipMasq; those written before the native loopback, with its plugin.
            return new SandboxRecord(
                podUid,
                (string?)obj["containerId"] ?? podUid,
                (string?)obj["podName"] ?? "",
                (string?)obj["podNamespace"] ?? "",
                (string?)obj["networkNamespace"] ?? throw new InvalidDataException($"{path} has no networkNamespace"),
                obj["result"]?.ToJsonString() ?? throw new InvalidDataException($"{path} has no CNI result"),
                (bool?)obj["pluginMasquerade"] ?? true,
                (bool?)obj["loopbackPlugin"] ?? true);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a sandbox record: {ex.Message}", ex);
        }
    }

    public bool Exists(string key) => File.Exists(PathOf(key));

    public void Delete(string key) => File.Delete(PathOf(key));

    /// <summary>The keys of every record there is, in no particular order.</summary>
    public IReadOnlyList<string> Keys() =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + Extension).Select(p => Path.GetFileName(p)[..^Extension.Length]).ToList()
            : [];

    private string PathOf(string key) => Path.Combine(directory, key + Extension);
}
