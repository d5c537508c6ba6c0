namespace Gantry.Agent.Images;

/// <summary>An image in the store.</summary>
/// <param name="Id">"sha256:…" of the image's config blob, as Docker and containerd name images.</param>
/// <param name="Names">Normalized references that resolve to it (docker.io/library/busybox:latest).</param>
/// <param name="Config">How to run it.</param>
/// <param name="Layers">The layers' diff IDs ("sha256:…" of each uncompressed tar), bottom first.</param>
/// <param name="ImportedAt">When it was imported.</param>
/// <param name="Created">When the image was built, from its config's "created"; null when the config says nothing.</param>
/// <param name="RepoDigests">
/// "registry/repo@sha256:…" for each repository it was pulled from, as `docker inspect` shows them.
/// A name with no digest in its repository was imported locally; pull policies never replace it.
/// </param>
public sealed record ImageRecord(
    string Id,
    IReadOnlyList<string> Names,
    ImageConfig Config,
    IReadOnlyList<string> Layers,
    DateTimeOffset ImportedAt,
    DateTimeOffset? Created = null,
    IReadOnlyList<string>? RepoDigests = null)
{
    /// <summary>Whether <paramref name="name"/> (normalized) was pulled from its registry rather than imported here.</summary>
    public bool WasPulledAs(string name) => RepoDigestOf(name) is not null;

    /// <summary>
    /// How containerd names this image in a container's <c>imageID</c> when run as <paramref name="name"/> (normalized):
    /// the digest of that repository, if it was pulled from there, or else the image's own <see cref="Id"/>.
    /// </summary>
    public string ImageIdFor(string name) => RepoDigestOf(name) ?? Id;

    /// <summary>
    /// How containerd names this image in a container's <c>image</c> when run as <paramref name="name"/> (normalized): that
    /// name when it is one of the image's tags, else its first tag (run by digest, as containerd reports the first of
    /// its repo tags), else the name.
    /// </summary>
    public string TagFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var tags = Names.Where(n => !n.Contains('@', StringComparison.Ordinal)).ToList();
        return tags.Contains(name, StringComparer.Ordinal) ? name : tags.FirstOrDefault() ?? name;
    }

    private string? RepoDigestOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return RepoDigests?.FirstOrDefault(d => d.IndexOf('@', StringComparison.Ordinal) is var at and > 0 &&
            name.Length > at && name.StartsWith(d[..at], StringComparison.Ordinal) && name[at] is ':' or '@');
    }
}
