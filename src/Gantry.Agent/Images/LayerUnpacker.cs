using System.Formats.Tar;

namespace Gantry.Agent.Images;

/// <summary>
/// Unpacks one layer tar into its own directory in overlayfs's format: ".wh.x" becomes a 0:0
/// character device at x and ".wh..wh..opq" the trusted.overlay.opaque xattr on its directory, so
/// the directory can be stacked as an overlay lower layer as it is. Nothing is ever written through
/// a symbolic link, so a hostile layer cannot reach outside its directory.
/// </summary>
internal static class LayerUnpacker
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    public static async Task<LayerWhiteouts> UnpackAsync(Stream tar, string root, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var deleted = new List<string>();
        var opaque = new List<string>();
        var checkedDirectories = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } tarEntry)
        {
            if (LayerEntryReader.Classify(tarEntry) is not { } entry)
            {
                continue;
            }

            var target = PrepareParents(root, entry.Path, checkedDirectories);
            switch (entry.Kind)
            {
                case LayerEntryKind.Directory:
                    RemoveExisting(target, keepDirectory: true);
                    Directory.CreateDirectory(target);
                    SetOwnerAndMode(target, entry);
                    break;
                case LayerEntryKind.File:
                    RemoveExisting(target, keepDirectory: false);
                    await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    {
                        if (tarEntry.DataStream is { } data)
                        {
                            await data.CopyToAsync(output, cancellationToken);
                        }
                    }

                    SetOwnerAndMode(target, entry);
                    File.SetLastWriteTimeUtc(target, entry.ModifiedAt.UtcDateTime);
                    break;
                case LayerEntryKind.Symlink:
                    RemoveExisting(target, keepDirectory: false);
                    File.CreateSymbolicLink(target, entry.LinkTarget!);
                    ImageSyscalls.ChangeOwner(target, entry.Uid, entry.Gid);
                    break;
                case LayerEntryKind.HardLink:
                    var source = PrepareParents(root, entry.LinkTarget!, checkedDirectories);
                    RemoveExisting(target, keepDirectory: false);
                    ImageSyscalls.HardLink(source, target);
                    break;
                case LayerEntryKind.CharacterDevice or LayerEntryKind.BlockDevice or LayerEntryKind.Fifo:
                    RemoveExisting(target, keepDirectory: false);
                    ImageSyscalls.MakeNode(target, NodeType(entry.Kind) | (uint)entry.Mode, entry.DeviceMajor, entry.DeviceMinor);
                    SetOwnerAndMode(target, entry);
                    break;
                case LayerEntryKind.Whiteout:
                    RemoveExisting(target, keepDirectory: false);
                    ImageSyscalls.MakeNode(target, ImageSyscalls.CharacterDeviceType, 0, 0);
                    deleted.Add(entry.Path);
                    break;
                case LayerEntryKind.OpaqueDirectory:
                    RemoveExisting(target, keepDirectory: true);
                    Directory.CreateDirectory(target);
                    ImageSyscalls.SetXattr(target, OpaqueXattr, "y");
                    opaque.Add(entry.Path);
                    break;
            }
        }

        return new LayerWhiteouts(deleted, opaque);
    }

    /// <summary>
    /// Creates the missing parents of <paramref name="relative"/> and returns its full path, refusing
    /// when an existing parent is a symlink or not a directory.
    /// </summary>
    private static string PrepareParents(string root, string relative, HashSet<string> checkedDirectories)
    {
        var segments = relative.Split('/');
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (checkedDirectories.Contains(current))
            {
                continue;
            }

            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || (!info.Exists && File.Exists(current)))
            {
                throw new InvalidDataException($"layer entry '{relative}' would be written through '{segments[i]}', which is not a directory");
            }

            if (!info.Exists)
            {
                Directory.CreateDirectory(current);
            }

            checkedDirectories.Add(current);
        }

        return Path.Combine(root, relative);
    }

    /// <summary>A later entry replaces an earlier one at the same path; only a directory survives a directory.</summary>
    private static void RemoveExisting(string path, bool keepDirectory)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            if (!keepDirectory)
            {
                Directory.Delete(path, recursive: true);
            }
        }
        else if (info.Exists)
        {
            File.Delete(path);
        }
    }

    /// <summary>Owner first: chown clears the set-user-ID bit that the mode may then set.</summary>
    private static void SetOwnerAndMode(string path, LayerEntry entry)
    {
        ImageSyscalls.ChangeOwner(path, entry.Uid, entry.Gid);
        File.SetUnixFileMode(path, entry.Mode);
    }

    private static uint NodeType(LayerEntryKind kind) => kind switch
    {
        LayerEntryKind.CharacterDevice => ImageSyscalls.CharacterDeviceType,
        LayerEntryKind.BlockDevice => ImageSyscalls.BlockDeviceType,
        _ => ImageSyscalls.FifoType,
    };
}
