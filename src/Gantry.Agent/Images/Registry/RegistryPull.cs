using System.Text.Json.Nodes;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// One pull from a registry into the store: resolve the reference to a manifest (choosing this
/// machine's entry of an index), fetch the config, fetch each layer the store lacks — a few at a
/// time, each verified against its digest — into a staging OCI layout inside the store, then
/// import that layout. Nothing is visible in the store until the import renames it into place, and
/// a failed or cancelled pull leaves only its staging directory, which is deleted.
/// </summary>
internal sealed class RegistryPull(RegistryClient client, ImageStore store)
{
    private const int ParallelDownloads = 3;

    public async Task<PullResult> RunAsync(RegistryReference reference, bool insecure, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var name = reference.ToString();
        var top = await client.GetManifestAsync(reference, insecure, cancellationToken);
        var manifest = top;
        if (ImageManifestParser.IsIndex(top.MediaType))
        {
            var entries = ImageManifestParser.ParseOciIndex(top.Json);
            var chosen = PlatformSelector.Select(entries, ImageLayoutReader.PlatformArchitecture)
                ?? throw new RegistryException(
                    $"no match for platform in manifest {top.Digest}: the image offers {PlatformSelector.Describe(entries)}, not {PlatformSelector.Os}/{ImageLayoutReader.PlatformArchitecture}");
            manifest = await client.GetManifestAsync(reference.WithDigest(chosen.Digest), insecure, cancellationToken);
        }

        if (!ImageManifestParser.IsManifest(manifest.MediaType))
        {
            throw new RegistryException($"unsupported manifest media type \"{manifest.MediaType}\" for {name}");
        }

        var (configDescriptor, layers) = ImageManifestParser.ParseOciManifest(manifest.Json);
        var repoDigest = $"{reference.Name}@{top.Digest}";
        var before = await store.FindAsync(name, cancellationToken);
        var staging = store.CreateStagingDirectory();
        try
        {
            var blobs = Path.Combine(staging, "blobs", "sha256");
            Directory.CreateDirectory(blobs);
            var configPath = ImageLayoutReader.BlobPath(staging, configDescriptor.Digest);
            await client.DownloadBlobAsync(reference, configDescriptor, configPath, insecure, null, cancellationToken);
            var (_, diffIds) = ImageManifestParser.ParseImageConfig(await File.ReadAllTextAsync(configPath, cancellationToken));
            if (diffIds.Count != layers.Count)
            {
                throw new InvalidDataException($"image {configDescriptor.Digest} lists {diffIds.Count} diff IDs for {layers.Count} layers");
            }

            var missing = new List<OciDescriptor>();
            for (var i = 0; i < layers.Count; i++)
            {
                var present = store.HasLayer(diffIds[i]);
                progress?.Report(new PullProgress(Short(layers[i].Digest), present ? LayerPullState.AlreadyExists : LayerPullState.Waiting, 0, layers[i].Size));
                if (!present)
                {
                    missing.Add(layers[i]);
                }
            }

            await Parallel.ForEachAsync(
                missing.DistinctBy(l => l.Digest),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellationToken },
                async (layer, token) =>
                {
                    var id = Short(layer.Digest);
                    await client.DownloadBlobAsync(reference, layer, ImageLayoutReader.BlobPath(staging, layer.Digest), insecure,
                        received => progress?.Report(new PullProgress(id, LayerPullState.Downloading, received, layer.Size)), token);
                    progress?.Report(new PullProgress(id, LayerPullState.DownloadComplete, layer.Size, layer.Size));
                });

            await File.WriteAllBytesAsync(ImageLayoutReader.BlobPath(staging, manifest.Digest), manifest.Content, cancellationToken);
            var index = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["manifests"] = new JsonArray(new JsonObject
                {
                    ["mediaType"] = ImageManifestParser.OciManifestMediaType,
                    ["digest"] = manifest.Digest,
                    ["size"] = manifest.Content.Length,
                }),
            };
            await File.WriteAllTextAsync(Path.Combine(staging, "index.json"), index.ToJsonString(), cancellationToken);
            var image = await store.ImportPulledAsync(staging, name, repoDigest, cancellationToken);
            foreach (var layer in missing)
            {
                progress?.Report(new PullProgress(Short(layer.Digest), LayerPullState.PullComplete, layer.Size, layer.Size));
            }

            var upToDate = before is not null && before.Id == image.Id && before.RepoDigests?.Contains(repoDigest) == true;
            return new PullResult(image, name, top.Digest, upToDate);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static string Short(string digest) => digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..][..12];
}
