namespace Gantry.Agent.Images;

/// <summary>
/// One image found in an unpacked archive or layout directory, ready to import: its config blob
/// and its layer blobs in order, bottom first.
/// </summary>
/// <param name="Names">References found for it (normalized); may be empty.</param>
/// <param name="ConfigPath">The config blob on disk.</param>
/// <param name="Layers">Each layer's blob and, when the format names blobs by digest, that digest to verify.</param>
internal sealed record ImageSource(
    IReadOnlyList<string> Names,
    string ConfigPath,
    IReadOnlyList<(string Path, string? Digest)> Layers);
