using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Images;

/// <summary>
/// Finds the images in an unpacked archive directory: a `docker save` archive (manifest.json, with
/// legacy &lt;id&gt;/layer.tar or blobs/ paths) or an OCI image layout (index.json + blobs/). Where an
/// OCI index lists several platforms, only this machine's is taken.
/// </summary>
internal static partial class ImageLayoutReader
{
    private const string ContainerdNameAnnotation = "io.containerd.image.name";
    private const string OciRefNameAnnotation = "org.opencontainers.image.ref.name";

    public static IReadOnlyList<ImageSource> Read(string directory)
    {
        var dockerManifest = Path.Combine(directory, "manifest.json");
        if (File.Exists(dockerManifest))
        {
            return ImageManifestParser.ParseDockerManifest(File.ReadAllText(dockerManifest))
                .Select(e => new ImageSource(
                    e.RepoTags.Select(ImageReference.Normalize).ToList(),
                    Inside(directory, e.Config),
                    e.Layers.Select(l => (Inside(directory, l), (string?)null)).ToList()))
                .ToList();
        }

        var index = Path.Combine(directory, "index.json");
        if (File.Exists(index))
        {
            var sources = new List<ImageSource>();
            foreach (var descriptor in ImageManifestParser.ParseOciIndex(File.ReadAllText(index)))
            {
                sources.AddRange(FromDescriptor(directory, descriptor, Names(descriptor)));
            }

            return sources;
        }

        throw new InvalidDataException($"{directory} is neither a docker save archive (manifest.json) nor an OCI image layout (index.json)");
    }

    /// <summary>The architecture name OCI uses for this machine.</summary>
    public static string PlatformArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static IEnumerable<ImageSource> FromDescriptor(string directory, OciDescriptor descriptor, IReadOnlyList<string> names)
    {
        var blob = BlobPath(directory, descriptor.Digest);
        if (ImageManifestParser.IsIndex(descriptor.MediaType))
        {
            var nested = ImageManifestParser.ParseOciIndex(File.ReadAllText(blob));
            var chosen = PlatformSelector.Select(nested, PlatformArchitecture)
                ?? throw new InvalidDataException($"the image index {descriptor.Digest} has no linux/{PlatformArchitecture} image");
            return FromDescriptor(directory, chosen, names);
        }

        var (config, layers) = ImageManifestParser.ParseOciManifest(File.ReadAllText(blob));
        return [new ImageSource(
            names,
            BlobPath(directory, config.Digest),
            layers.Select(l => (BlobPath(directory, l.Digest), (string?)l.Digest)).ToList())];
    }

    /// <summary>
    /// containerd writes the full reference; the OCI annotation is, by the spec, often a bare tag
    /// such as "latest", which names no image, so it counts only when it looks like a reference.
    /// </summary>
    private static IReadOnlyList<string> Names(OciDescriptor descriptor)
    {
        if (descriptor.Annotations.TryGetValue(ContainerdNameAnnotation, out var full) && full.Length > 0)
        {
            return [ImageReference.Normalize(full)];
        }

        if (descriptor.Annotations.TryGetValue(OciRefNameAnnotation, out var reference) &&
            (reference.Contains('/', StringComparison.Ordinal) || reference.Contains(':', StringComparison.Ordinal)))
        {
            return [ImageReference.Normalize(reference)];
        }

        return [];
    }

    public static string BlobPath(string directory, string digest)
    {
        var match = DigestPattern().Match(digest);
        return match.Success
            ? Path.Combine(directory, "blobs", match.Groups[1].Value, match.Groups[2].Value)
            : throw new InvalidDataException($"unsupported or malformed digest '{digest}'");
    }

    /// <summary>Archive-relative paths come from the archive itself and must not climb out of it.</summary>
    private static string Inside(string directory, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(directory, relative));
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new InvalidDataException($"archive path '{relative}' points outside the archive");
    }

    [GeneratedRegex("^(sha256|sha512):([a-f0-9]{64}|[a-f0-9]{128})$")]
    private static partial Regex DigestPattern();
}
