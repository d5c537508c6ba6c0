using System.Text.RegularExpressions;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// An image reference split the way the distribution spec addresses it: which registry, which
/// repository, and a tag or a digest. Parsing follows docker's reference grammar
/// (distribution/reference), so what `docker pull` accepts is accepted and what it rejects is
/// rejected with the same reason.
/// </summary>
/// <param name="Domain">The registry as users name it ("docker.io", "127.0.0.1:5000").</param>
/// <param name="Repository">The repository path ("library/busybox").</param>
/// <param name="Tag">The tag, "latest" when neither tag nor digest was given; null for a bare digest reference.</param>
/// <param name="Digest">"sha256:…" when the reference pins content.</param>
public sealed partial record RegistryReference(string Domain, string Repository, string? Tag, string? Digest)
{
    /// <summary>Docker Hub's API host: "docker.io" is a name, not a server.</summary>
    public const string DockerHubHost = "registry-1.docker.io";

    private const int MaxNameLength = 255;

    /// <summary>The host (and port) to send requests to.</summary>
    public string Host => Domain == ImageReference.DefaultDomain ? DockerHubHost : Domain;

    /// <summary>"domain/repository", the name digests are recorded against.</summary>
    public string Name => $"{Domain}/{Repository}";

    /// <summary>What the manifest endpoint is asked for: the digest when pinned, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag!;

    /// <summary>
    /// Whether the registry is on this machine, where docker, containerd and Kubernetes all talk
    /// plain HTTP without being told (a loopback registry needs no certificate).
    /// </summary>
    public bool IsLoopback
    {
        get
        {
            var host = Domain.StartsWith('[') ? Domain[1..Domain.IndexOf(']', StringComparison.Ordinal)] : Domain.Split(':')[0];
            return host is "localhost" or "::1" || host.StartsWith("127.", StringComparison.Ordinal);
        }
    }

    /// <summary>The normalized reference the store names the image by (see <see cref="ImageReference.Normalize"/>).</summary>
    public override string ToString() =>
        Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>Parses <paramref name="reference"/>, defaulting the registry, "library/" and the tag as docker does.</summary>
    /// <exception cref="FormatException">The reference is not a valid image name; the message says why.</exception>
    public static RegistryReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var match = ReferencePattern().Match(reference);
        if (!match.Success)
        {
            throw new FormatException(reference.Length == 0 ? "repository name must have at least one component" : $"invalid reference format: \"{reference}\"");
        }

        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            throw new FormatException($"repository name must not be more than {MaxNameLength} characters");
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : name[..slash];
        string domain, repository;
        if (first.Length > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsUpper)))
        {
            domain = first == "index.docker.io" ? ImageReference.DefaultDomain : first;
            repository = name[(slash + 1)..];
        }
        else
        {
            domain = ImageReference.DefaultDomain;
            repository = name;
        }

        if (!RepositoryPattern().IsMatch(repository))
        {
            throw new FormatException($"invalid reference format: repository name (\"{repository}\") must be lowercase");
        }

        if (domain == ImageReference.DefaultDomain && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (digest is not null && !DigestPattern().IsMatch(digest))
        {
            throw new FormatException($"invalid reference format: unsupported digest \"{digest}\"");
        }

        return new RegistryReference(domain, repository, tag ?? (digest is null ? "latest" : null), digest);
    }

    /// <summary>The same repository at another manifest (an index's platform entry).</summary>
    public RegistryReference WithDigest(string digest) => this with { Tag = null, Digest = digest };

    [GeneratedRegex(@"^(?<name>(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?/)?[^:@/]+(?:/[^:@/]+)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}
