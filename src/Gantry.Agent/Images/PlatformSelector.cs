namespace Gantry.Agent.Images;

/// <summary>
/// Picks this machine's image from a multi-platform index (an OCI image index or a Docker manifest
/// list), as containerd does: the entry for linux on this architecture; an index whose entries
/// carry no platform at all is a plain list of images, and its first entry is taken.
/// </summary>
internal static class PlatformSelector
{
    public const string Os = "linux";

    /// <summary>The chosen entry, or null when the index holds no image this machine can run.</summary>
    public static OciDescriptor? Select(IReadOnlyList<OciDescriptor> manifests, string architecture) =>
        manifests.FirstOrDefault(d => d.Os == Os && d.Architecture == architecture)
        ?? (manifests.Count > 0 && manifests.All(d => d.Architecture is null) ? manifests[0] : null);

    /// <summary>"linux/amd64, linux/arm64", for the error that says what the index offers instead.</summary>
    public static string Describe(IReadOnlyList<OciDescriptor> manifests) =>
        string.Join(", ", manifests.Where(d => d.Os is not null).Select(d => $"{d.Os}/{d.Architecture}").Distinct());
}
