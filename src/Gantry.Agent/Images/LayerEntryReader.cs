using System.Formats.Tar;

namespace Gantry.Agent.Images;

/// <summary>
/// Classifies layer tar entries (files, links, devices, whiteouts) and rejects any whose path would
/// land outside the layer. Pure: it reads entry headers, never the disk.
/// </summary>
internal static class LayerEntryReader
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>The entry's meaning, or null for entries that change nothing (the root itself, AUFS bookkeeping).</summary>
    public static LayerEntry? Classify(TarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var path = NormalizePath(entry.Name);
        if (path.Length == 0)
        {
            return null;
        }

        var name = System.IO.Path.GetFileName(path);
        var parent = System.IO.Path.GetDirectoryName(path) ?? string.Empty;
        if (name == OpaqueMarker)
        {
            return Entry(entry, LayerEntryKind.OpaqueDirectory, parent, null);
        }

        // AUFS keeps hard-link and orphan bookkeeping in ".wh..wh.*" directories at the root.
        if (path.Split('/').Any(segment => segment.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal)))
        {
            return null;
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            return Entry(entry, LayerEntryKind.Whiteout, Join(parent, name[WhiteoutPrefix.Length..]), null);
        }

        return entry.EntryType switch
        {
            TarEntryType.Directory => Entry(entry, LayerEntryKind.Directory, path, null),
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile =>
                Entry(entry, LayerEntryKind.File, path, null),
            TarEntryType.SymbolicLink => Entry(entry, LayerEntryKind.Symlink, path, entry.LinkName),
            TarEntryType.HardLink => Entry(entry, LayerEntryKind.HardLink, path, NormalizePath(entry.LinkName)),
            TarEntryType.CharacterDevice => Entry(entry, LayerEntryKind.CharacterDevice, path, null),
            TarEntryType.BlockDevice => Entry(entry, LayerEntryKind.BlockDevice, path, null),
            TarEntryType.Fifo => Entry(entry, LayerEntryKind.Fifo, path, null),
            _ => null,
        };
    }

    /// <summary>
    /// "./usr//bin/../lib/x" → "usr/lib/x"; "" for the root. Absolute names are taken as relative to
    /// the layer, as tar does; a ".." that would climb above the root is an attack, not a path.
    /// </summary>
    public static string NormalizePath(string name)
    {
        var segments = new List<string>();
        foreach (var segment in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (segment)
            {
                case ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        throw new InvalidDataException($"layer entry '{name}' points outside the layer");
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }

        return string.Join('/', segments);
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}/{name}";

    private static LayerEntry Entry(TarEntry entry, LayerEntryKind kind, string path, string? linkTarget) =>
        new(
            kind,
            path,
            linkTarget,
            entry.Mode,
            entry.Uid,
            entry.Gid,
            entry.ModificationTime,
            entry is PosixTarEntry posix ? posix.DeviceMajor : 0,
            entry is PosixTarEntry device ? device.DeviceMinor : 0);
}
