using System.Formats.Tar;

namespace Gantry.Agent.Images;

/// <summary>
/// Unpacks an image archive file (`docker save` output or a tarred OCI layout, optionally gzipped)
/// into a directory the <see cref="ImageLayoutReader"/> can read.
/// </summary>
internal static class ImageArchive
{
    public static async Task ExtractAsync(string archive, string directory, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var stream = await Compression.OpenAsync(file, cancellationToken);
        await using var reader = new TarReader(stream, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var relative = LayerEntryReader.NormalizePath(entry.Name);
            if (relative.Length == 0)
            {
                continue;
            }

            var target = Path.Combine(directory, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await using (var output = File.Create(target))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(output, cancellationToken);
                        }
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    // Legacy `docker save` links identical layer.tar files to one another; a link
                    // leaving the archive would let an import read arbitrary host files.
                    var resolved = LayerEntryReader.NormalizePath(Path.Combine(Path.GetDirectoryName(relative) ?? string.Empty, entry.LinkName));
                    if (entry.LinkName.StartsWith('/') || resolved.Length == 0)
                    {
                        throw new InvalidDataException($"archive link '{entry.Name}' points outside the archive");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
            }
        }
    }
}
