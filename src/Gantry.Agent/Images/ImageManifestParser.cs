using System.Text.Json;

namespace Gantry.Agent.Images;

/// <summary>
/// Parses the JSON documents of image archives: Docker's manifest.json, OCI index.json and image
/// manifests, and image configs. Tolerant of fields it does not need, strict about those it does.
/// </summary>
internal static class ImageManifestParser
{
    public const string OciIndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifestListMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    public static IReadOnlyList<DockerArchiveEntry> ParseDockerManifest(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(e => new DockerArchiveEntry(
                Required(e, "Config").GetString()!,
                Strings(e, "RepoTags"),
                Strings(e, "Layers")))
            .ToList();
    }

    /// <summary>The descriptors of an OCI index (index.json or a nested image index).</summary>
    public static IReadOnlyList<OciDescriptor> ParseOciIndex(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Required(document.RootElement, "manifests").EnumerateArray().Select(Descriptor).ToList();
    }

    public static (OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers) ParseOciManifest(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (Descriptor(Required(root, "config")), Required(root, "layers").EnumerateArray().Select(Descriptor).ToList());
    }

    public static bool IsIndex(string mediaType) => mediaType is OciIndexMediaType or DockerManifestListMediaType;

    public static bool IsManifest(string mediaType) => mediaType is OciManifestMediaType or DockerManifestMediaType;

    /// <summary>
    /// The media type a manifest document declares, for registries that answer with a generic
    /// Content-Type: its "mediaType" field, else (an OCI document may omit it) what its shape says.
    /// </summary>
    public static string DeclaredMediaType(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("a manifest must be a JSON object");
        }

        if (root.TryGetProperty("mediaType", out var mediaType) && mediaType.GetString() is { Length: > 0 } declared)
        {
            return declared;
        }

        return root.TryGetProperty("manifests", out _) ? OciIndexMediaType
            : root.TryGetProperty("layers", out _) ? OciManifestMediaType
            : throw new InvalidDataException("the manifest is neither an image index nor an image manifest (schema 1 manifests are not supported)");
    }

    /// <summary>The image config's "created" time, shown by `gantry image ls`; null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseCreated(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object &&
            document.RootElement.TryGetProperty("created", out var created) &&
            created.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(created.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : null;
    }

    /// <summary>An image config: how to run it and the diff IDs of its layers, bottom first.</summary>
    public static (ImageConfig Config, IReadOnlyList<string> DiffIds) ParseImageConfig(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var diffIds = root.TryGetProperty("rootfs", out var rootfs) ? Strings(rootfs, "diff_ids") : [];
        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            return (ImageConfig.Empty, diffIds);
        }

        return (new ImageConfig(
            Strings(config, "Entrypoint"),
            Strings(config, "Cmd"),
            Strings(config, "Env"),
            NonEmpty(config, "WorkingDir"),
            NonEmpty(config, "User")), diffIds);
    }

    private static OciDescriptor Descriptor(JsonElement element)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in a.EnumerateObject())
            {
                annotations[property.Name] = property.Value.GetString() ?? string.Empty;
            }
        }

        string? os = null, architecture = null;
        if (element.TryGetProperty("platform", out var platform) && platform.ValueKind == JsonValueKind.Object)
        {
            os = NonEmpty(platform, "os");
            architecture = NonEmpty(platform, "architecture");
        }

        return new OciDescriptor(
            element.TryGetProperty("mediaType", out var mediaType) ? mediaType.GetString() ?? string.Empty : string.Empty,
            Required(element, "digest").GetString()!,
            element.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : -1,
            annotations,
            os,
            architecture);
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidDataException($"image metadata lacks \"{name}\"");

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList()
            : [];

    private static string? NonEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
