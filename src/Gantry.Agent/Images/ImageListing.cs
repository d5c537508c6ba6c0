namespace Gantry.Agent.Images;

/// <summary>
/// The rows of `gantry image ls`, one per name as `docker images` has them: the repository in its
/// familiar form (docker.io/library/busybox is "busybox"), the tag (&lt;none&gt; for a digest-only
/// name), the short ID, the age of the image and the size of its layers. An image without a name
/// gets one &lt;none&gt; row, so nothing in the store is hidden.
/// </summary>
public static class ImageListing
{
    public const string None = "<none>";

    public static IReadOnlyList<ImageListingRow> Rows(IEnumerable<ImageRecord> images, Func<ImageRecord, long> sizeOf, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(sizeOf);
        var rows = new List<ImageListingRow>();
        foreach (var image in images)
        {
            var id = image.Id[(image.Id.IndexOf(':', StringComparison.Ordinal) + 1)..][..12];
            var created = image.Created is { } at ? HumanUnits.Duration(now - at) + " ago" : "N/A";
            var size = HumanUnits.Size(sizeOf(image));
            var names = image.Names.Count == 0 ? [(None, None)] : image.Names.Select(Split).ToList();
            rows.AddRange(names.Select(n => new ImageListingRow(n.Repository, n.Tag, id, created, size)));
        }

        return rows.OrderBy(r => r.Repository, StringComparer.Ordinal).ThenBy(r => r.Tag, StringComparer.Ordinal).ToList();
    }

    /// <summary>"docker.io/library/busybox:latest" → ("busybox", "latest").</summary>
    public static (string Repository, string Tag) Split(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var at = name.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at < 0 ? name : name[..at];
        var colon = withoutDigest.LastIndexOf(':');
        var hasTag = colon > withoutDigest.LastIndexOf('/');
        var repository = hasTag ? withoutDigest[..colon] : withoutDigest;
        var tag = hasTag ? withoutDigest[(colon + 1)..] : None;
        return (Familiar(repository), tag);
    }

    /// <summary>The short form docker prints: Docker Hub's domain and "library/" are implied.</summary>
    public static string Familiar(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        const string library = ImageReference.DefaultDomain + "/library/";
        const string hub = ImageReference.DefaultDomain + "/";
        return repository.StartsWith(library, StringComparison.Ordinal) && repository.IndexOf('/', library.Length) < 0 ? repository[library.Length..]
            : repository.StartsWith(hub, StringComparison.Ordinal) ? repository[hub.Length..]
            : repository;
    }
}
