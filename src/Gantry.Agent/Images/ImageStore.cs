using System.Security.Cryptography;
using System.Text.Json;

namespace Gantry.Agent.Images;

/// <summary>
/// The node's images: imported from `docker save` / OCI archives or layout directories, each layer
/// unpacked once into a directory named by its diff ID and shared by every image that has it.
/// <code>
/// &lt;root&gt;/images/&lt;config-hex&gt;.json      one record per image (names, config, layer diff IDs)
/// &lt;root&gt;/layers/&lt;diff-hex&gt;/             an unpacked layer, overlayfs whiteout format
/// &lt;root&gt;/layers/&lt;diff-hex&gt;.whiteouts.json  its deletions, for copied root filesystems
/// &lt;root&gt;/leases/&lt;holder&gt;                 the image a container runs from (blocks removal)
/// </code>
/// A layer directory appears by rename only after it was completely unpacked and verified, so its
/// presence means it is whole; a record appears by rename, so readers need no lock. Mutations
/// (import, lease, removal) hold <c>&lt;root&gt;/lock</c>, an exclusive file lock, because the agent and
/// `gantry image` commands change the same store from different processes.
/// </summary>
public sealed class ImageStore : IDisposable
{
    private readonly StoreLock _lock;
    private readonly TimeProvider _time;

    /// <summary>Where a node agent keeps its images, given its state directory (DATA_DIR/agent).</summary>
    public static string PathIn(string agentStateDirectory) => Path.Combine(agentStateDirectory, "images");

    public ImageStore(string root, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (root.Contains(':', StringComparison.Ordinal) || root.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException("the image store's path may not contain ':' or ',' (overlayfs mount options use them)", nameof(root));
        }

        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
        _lock = new StoreLock(Path.Combine(Root, "lock"));
        foreach (var directory in new[] { ImagesDirectory, LayersDirectory, LeasesDirectory, TemporaryDirectory })
        {
            Directory.CreateDirectory(directory);
        }
    }

    public string Root { get; }

    public void Dispose() => _lock.Dispose();

    private string ImagesDirectory => Path.Combine(Root, "images");

    private string LayersDirectory => Path.Combine(Root, "layers");

    private string LeasesDirectory => Path.Combine(Root, "leases");

    private string TemporaryDirectory => Path.Combine(Root, "tmp");

    /// <summary>
    /// Imports every image in <paramref name="path"/>: a `docker save` or OCI archive (tar, tar.gz)
    /// or an OCI layout / unpacked docker save directory. <paramref name="name"/>, when given, names
    /// the archive's only image (overriding the names it carries). Layers are verified against the
    /// digests the archive states.
    /// </summary>
    public async Task<IReadOnlyList<ImageRecord>> ImportAsync(string path, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            using (await _lock.AcquireAsync(cancellationToken))
            {
                return await ImportLayoutAsync(path, name, null, cancellationToken);
            }
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file or directory", path);
        }

        // Extracting needs no lock: the staging directory is this import's alone.
        var staging = NewTemporaryDirectory();
        try
        {
            await ImageArchive.ExtractAsync(path, staging, cancellationToken);
            using (await _lock.AcquireAsync(cancellationToken))
            {
                return await ImportLayoutAsync(staging, name, null, cancellationToken);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Imports the one image of an OCI layout a registry pull assembled, recording that it came from
    /// <paramref name="repoDigest"/> ("registry/repo@sha256:…") so pull policies can tell it from a
    /// locally imported image.
    /// </summary>
    internal async Task<ImageRecord> ImportPulledAsync(string layout, string name, string repoDigest, CancellationToken cancellationToken)
    {
        using (await _lock.AcquireAsync(cancellationToken))
        {
            return (await ImportLayoutAsync(layout, name, repoDigest, cancellationToken)).Single();
        }
    }

    /// <summary>Whether the layer with diff ID <paramref name="diffId"/> is unpacked here, so a pull can skip its blob.</summary>
    public bool HasLayer(string diffId) => Directory.Exists(LayerPath(Hex(diffId)));

    /// <summary>A fresh directory inside the store, on the same filesystem as its layers, for staging a pull.</summary>
    internal string CreateStagingDirectory() => NewTemporaryDirectory();

    /// <summary>
    /// The disk space the image's layers take, as `docker images` reports it: the sum of the files
    /// in its unpacked layers (links and directories count nothing).
    /// </summary>
    public long SizeOf(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        long total = 0;
        foreach (var layer in image.Layers.Select(Hex).Distinct(StringComparer.Ordinal).Select(LayerPath).Where(Directory.Exists))
        {
            var files = new System.IO.Enumeration.FileSystemEnumerable<long>(
                layer,
                (ref System.IO.Enumeration.FileSystemEntry entry) => entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0 ? 0 : entry.Length,
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true });
            total += files.Sum();
        }

        return total;
    }

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.Run<IReadOnlyList<ImageRecord>>(ReadRecords, cancellationToken);

    /// <summary>
    /// The image a reference names: a name ("busybox", "registry:5000/app:1"), an ID ("sha256:…")
    /// or an unambiguous ID prefix of at least 12 hex digits. Null when none.
    /// </summary>
    public async Task<ImageRecord?> FindAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var records = await ListAsync(cancellationToken);
        var id = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : "sha256:" + reference;
        if (id.Length is >= 19 and <= 71 && id[7..].All(Uri.IsHexDigit))
        {
            var byId = records.Where(r => r.Id.StartsWith(id, StringComparison.Ordinal)).ToList();
            if (byId.Count == 1)
            {
                return byId[0];
            }
        }

        var normalized = ImageReference.Normalize(reference);
        return records.FirstOrDefault(r => r.Names.Contains(normalized, StringComparer.Ordinal));
    }

    /// <summary>
    /// Finds the image, building the built-in busybox image on first use, and records that
    /// <paramref name="holder"/> runs from it so it cannot be removed until <see cref="ReleaseAsync"/>.
    /// </summary>
    public Task<ImageRecord> AcquireAsync(string reference, string holder, CancellationToken cancellationToken = default) =>
        AcquireAsync(reference, holder, null, cancellationToken);

    /// <inheritdoc cref="AcquireAsync(string, string, CancellationToken)"/>
    /// <param name="description">Who holds it ("pod ns/name (container c)"): what a refused removal names.</param>
    public async Task<ImageRecord> AcquireAsync(string reference, string holder, string? description, CancellationToken cancellationToken)
    {
        var image = await FindOrBuildAsync(reference, cancellationToken)
            ?? throw new ImageNotFoundException(
                $"image \"{reference}\" is not on this node; pull it with `gantry image pull {reference}` or load it with `gantry image import FILE` (a docker save or OCI archive)");

        using (await _lock.AcquireAsync(cancellationToken))
        {
            // Re-read under the lock: a concurrent removal may have won the race.
            if (!File.Exists(RecordPath(image.Id)))
            {
                throw new ImageNotFoundException($"image \"{reference}\" was removed while starting a container from it");
            }

            await File.WriteAllTextAsync(LeasePath(holder), image.Id + "\n" + (description ?? "container " + holder), cancellationToken);
            return image;
        }
    }

    /// <summary>
    /// Like <see cref="FindAsync"/>, but "busybox" is built from the host's static busybox when it
    /// is missing, so busybox pods run on a node that cannot reach any registry.
    /// </summary>
    public async Task<ImageRecord?> FindOrBuildAsync(string reference, CancellationToken cancellationToken = default)
    {
        var image = await FindAsync(reference, cancellationToken);
        if (image is null && IsBuiltIn(reference) && File.Exists(BusyboxImage.BinaryPath))
        {
            await BuildBusyboxAsync(cancellationToken);
            image = await FindAsync(reference, cancellationToken);
        }

        return image;
    }

    /// <summary>Builds the built-in busybox image unless an image named busybox exists; `gantry up` calls it at start.</summary>
    public Task<ImageRecord?> EnsureBusyboxAsync(CancellationToken cancellationToken = default) =>
        FindOrBuildAsync(BusyboxImage.Reference, cancellationToken);

    /// <summary>Whether the reference names the image the store can build itself.</summary>
    public static bool IsBuiltIn(string reference) => ImageReference.Normalize(reference) == BusyboxImage.Reference;

    public Task ReleaseAsync(string holder, CancellationToken cancellationToken = default)
    {
        File.Delete(LeasePath(holder));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes the name (or, for an ID, every name) of an image; once no name is left the image
    /// goes, and with it each layer no other image shares. False when nothing matched.
    /// </summary>
    public async Task<bool> RemoveAsync(string reference, CancellationToken cancellationToken = default)
    {
        var image = await FindAsync(reference, cancellationToken);
        if (image is null)
        {
            return false;
        }

        using (await _lock.AcquireAsync(cancellationToken))
        {
            // Re-read under the lock: another process may have changed or removed it meanwhile.
            image = ReadRecords().FirstOrDefault(r => r.Id == image.Id);
            if (image is null)
            {
                return false;
            }

            var normalized = ImageReference.Normalize(reference);
            if (image.Names.Count > 1 && image.Names.Contains(normalized, StringComparer.Ordinal))
            {
                var names = image.Names.Where(n => n != normalized).ToList();
                var repoDigests = image.RepoDigests?.Where(d => names.Any(n => SameRepository(n, d))).ToList();
                await WriteRecordAsync(image with { Names = names, RepoDigests = repoDigests }, cancellationToken);
                return true;
            }

            var holders = Directory.EnumerateFiles(LeasesDirectory)
                .Select(lease => File.ReadAllText(lease).Split('\n', 2))
                .Where(lease => lease[0] == image.Id)
                .Select(lease => lease.Length > 1 ? lease[1] : "a container")
                .ToList();
            if (holders.Count > 0)
            {
                throw new ImageInUseException(
                    $"image \"{reference}\" ({image.Id[7..19]}) is in use by {string.Join("; ", holders)}: delete what runs from it first");
            }

            File.Delete(RecordPath(image.Id));
            var referenced = ReadRecords().SelectMany(r => r.Layers).Select(Hex).ToHashSet(StringComparer.Ordinal);
            foreach (var layer in image.Layers.Select(Hex).Where(l => !referenced.Contains(l)))
            {
                File.Delete(WhiteoutsPath(layer));
                if (Directory.Exists(LayerPath(layer)))
                {
                    Directory.Delete(LayerPath(layer), recursive: true);
                }
            }

            return true;
        }
    }

    /// <summary>The unpacked directory of the layer with diff ID <paramref name="diffId"/>.</summary>
    public string LayerDirectory(string diffId) => LayerPath(Hex(diffId));

    /// <summary>The deletions the layer makes, for building a root filesystem by copying.</summary>
    public LayerWhiteouts ReadWhiteouts(string diffId) =>
        JsonSerializer.Deserialize(File.ReadAllText(WhiteoutsPath(Hex(diffId))), ImageJsonContext.Default.LayerWhiteouts) ?? LayerWhiteouts.None;

    private async Task BuildBusyboxAsync(CancellationToken cancellationToken)
    {
        var layout = NewTemporaryDirectory();
        try
        {
            await BusyboxImage.WriteLayoutAsync(layout, BusyboxImage.BinaryPath, cancellationToken);
            await ImportAsync(layout, BusyboxImage.Reference, cancellationToken);
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    private async Task<IReadOnlyList<ImageRecord>> ImportLayoutAsync(string directory, string? name, string? repoDigest, CancellationToken cancellationToken)
    {
        var sources = ImageLayoutReader.Read(directory);
        if (name is not null && sources.Count != 1)
        {
            throw new ArgumentException($"the archive holds {sources.Count} images; a name can only be given to one", nameof(name));
        }

        var imported = new List<ImageRecord>();
        foreach (var source in sources)
        {
            var configBytes = await File.ReadAllBytesAsync(source.ConfigPath, cancellationToken);
            var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(configBytes));
            var (config, diffIds) = ImageManifestParser.ParseImageConfig(System.Text.Encoding.UTF8.GetString(configBytes));
            if (diffIds.Count != source.Layers.Count)
            {
                throw new InvalidDataException($"image {id} lists {diffIds.Count} diff IDs for {source.Layers.Count} layers");
            }

            for (var i = 0; i < diffIds.Count; i++)
            {
                await EnsureLayerAsync(source.Layers[i].Path, source.Layers[i].Digest, diffIds[i], cancellationToken);
            }

            var names = name is null ? source.Names : [ImageReference.Normalize(name)];
            var created = ImageManifestParser.ParseCreated(System.Text.Encoding.UTF8.GetString(configBytes));
            imported.Add(await SaveAsync(id, names, config, diffIds, created, repoDigest, cancellationToken));
        }

        return imported;
    }

    /// <summary>Stores the record; a name moves to this image from whichever image had it before.</summary>
    private async Task<ImageRecord> SaveAsync(
        string id, IReadOnlyList<string> names, ImageConfig config, IReadOnlyList<string> layers, DateTimeOffset? created, string? repoDigest, CancellationToken cancellationToken)
    {
        var existing = ReadRecords();
        foreach (var other in existing.Where(r => r.Id != id && r.Names.Intersect(names).Any()))
        {
            var remaining = other.Names.Except(names).ToList();
            await WriteRecordAsync(other with
            {
                Names = remaining,
                RepoDigests = other.RepoDigests?.Where(d => remaining.Any(n => SameRepository(n, d))).ToList(),
            }, cancellationToken);
        }

        var previous = existing.FirstOrDefault(r => r.Id == id);
        var allNames = (previous?.Names ?? []).Union(names).ToList();

        // A local import of a name makes it local: its digest from a registry no longer describes it.
        var repoDigests = (previous?.RepoDigests ?? [])
            .Where(d => repoDigest is not null || !names.Any(n => SameRepository(n, d)))
            .Append(repoDigest)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var record = new ImageRecord(
            id,
            allNames,
            config,
            layers,
            previous?.ImportedAt ?? _time.GetUtcNow(),
            created,
            repoDigests);
        await WriteRecordAsync(record, cancellationToken);
        return record;
    }

    private async Task EnsureLayerAsync(string blobPath, string? blobDigest, string diffId, CancellationToken cancellationToken)
    {
        var hex = Hex(diffId);
        if (Directory.Exists(LayerPath(hex)))
        {
            return;
        }

        var staging = NewTemporaryDirectory();
        try
        {
            await using var file = File.OpenRead(blobPath);
            var magic = new byte[4];
            var read = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
            file.Seek(0, SeekOrigin.Begin);
            await using var compressed = new HashingReadStream(file);
            await using var uncompressed = new HashingReadStream(Compression.Wrap(compressed, magic.AsSpan(0, read), leaveOpen: true));
            var whiteouts = await LayerUnpacker.UnpackAsync(uncompressed, staging, cancellationToken);
            var actualDiffId = await uncompressed.DrainAndDigestAsync(cancellationToken);
            var actualBlobDigest = await compressed.DrainAndDigestAsync(cancellationToken);
            if (actualDiffId != diffId)
            {
                throw new InvalidDataException($"layer {Path.GetFileName(blobPath)} unpacks to {actualDiffId}, but the image config says {diffId}");
            }

            if (blobDigest is not null && actualBlobDigest != blobDigest)
            {
                throw new InvalidDataException($"layer blob {blobDigest} has digest {actualBlobDigest}: the archive is corrupt");
            }

            await File.WriteAllTextAsync(WhiteoutsPath(hex), JsonSerializer.Serialize(whiteouts, ImageJsonContext.Default.LayerWhiteouts), cancellationToken);
            Directory.Move(staging, LayerPath(hex));
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private List<ImageRecord> ReadRecords() =>
        Directory.EnumerateFiles(ImagesDirectory, "*.json")
            .Select(ReadRecord)
            .OfType<ImageRecord>()
            .OrderBy(r => r.ImportedAt)
            .ToList();

    /// <summary>Null when another process removed the record between listing and reading it.</summary>
    private static ImageRecord? ReadRecord(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ImageJsonContext.Default.ImageRecord);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether "registry/repo:tag" and "registry/repo@sha256:…" name the same repository.</summary>
    private static bool SameRepository(string name, string repoDigest)
    {
        var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
        var repository = at < 0 ? repoDigest : repoDigest[..at];
        return name.Length > repository.Length && name.StartsWith(repository, StringComparison.Ordinal) && name[repository.Length] is ':' or '@';
    }

    private async Task WriteRecordAsync(ImageRecord record, CancellationToken cancellationToken)
    {
        var path = RecordPath(record.Id);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(record, ImageJsonContext.Default.ImageRecord), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private string NewTemporaryDirectory()
    {
        var directory = Path.Combine(TemporaryDirectory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private string RecordPath(string id) => Path.Combine(ImagesDirectory, Hex(id) + ".json");

    private string LayerPath(string hex) => Path.Combine(LayersDirectory, hex);

    private string WhiteoutsPath(string hex) => Path.Combine(LayersDirectory, hex + ".whiteouts.json");

    private string LeasePath(string holder) =>
        holder.Contains('/', StringComparison.Ordinal) || holder is "." or ".."
            ? throw new ArgumentException($"'{holder}' is not a valid lease holder", nameof(holder))
            : Path.Combine(LeasesDirectory, holder);

    private static string Hex(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71 && digest[7..].All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')
            ? digest[7..]
            : throw new InvalidDataException($"'{digest}' is not a sha256 digest");
}
