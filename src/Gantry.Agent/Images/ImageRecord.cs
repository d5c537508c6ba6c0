namespace Gantry.Agent.Images;

/// <summary>An image in the store.</summary>
/// <param name="Id">"sha256:…" of the image's config blob, as Docker and containerd name images.</param>
/// <param name="Names">Normalized references that resolve to it (docker.io/library/busybox:latest).</param>
/// <param name="Config">How to run it.</param>
/// <param name="Layers">The layers' diff IDs ("sha256:…" of each uncompressed tar), bottom first.</param>
/// <param name="ImportedAt">When it was imported.</param>
public sealed record ImageRecord(
    string Id,
    IReadOnlyList<string> Names,
    ImageConfig Config,
    IReadOnlyList<string> Layers,
    DateTimeOffset ImportedAt);
