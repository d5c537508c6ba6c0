using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>The sandbox records on disk, one JSON file per pod uid.</summary>
internal sealed class SandboxRecords(string directory)
{
    public async Task WriteAsync(SandboxRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var json = new JsonObject
        {
            ["podUid"] = record.PodUid,
            ["podName"] = record.PodName,
            ["podNamespace"] = record.PodNamespace,
            ["networkNamespace"] = record.NetworkNamespace,
            ["result"] = JsonNode.Parse(record.ResultJson),
        };
        var path = PathOf(record.PodUid);
        var temporary = path + ".tmp";

        // Written aside, flushed to disk, then renamed: a crash leaves the old record or the new one, never half of one.
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await file.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(json), cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <returns>The record, or null when there is none.</returns>
    /// <exception cref="InvalidDataException">The file exists but is not a record.</exception>
    public async Task<SandboxRecord?> ReadAsync(string podUid, CancellationToken cancellationToken)
    {
        var path = PathOf(podUid);
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

            return new SandboxRecord(
                (string?)obj["podUid"] ?? throw new InvalidDataException($"{path} has no podUid"),
                (string?)obj["podName"] ?? "",
                (string?)obj["podNamespace"] ?? "",
                (string?)obj["networkNamespace"] ?? throw new InvalidDataException($"{path} has no networkNamespace"),
                obj["result"]?.ToJsonString() ?? throw new InvalidDataException($"{path} has no CNI result"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not a sandbox record: {ex.Message}", ex);
        }
    }

    public bool Exists(string podUid) => File.Exists(PathOf(podUid));

    public void Delete(string podUid) => File.Delete(PathOf(podUid));

    private string PathOf(string podUid) => Path.Combine(directory, podUid + ".json");
}
