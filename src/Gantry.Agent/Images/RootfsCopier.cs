namespace Gantry.Agent.Images;

/// <summary>
/// Builds a root filesystem by copying unpacked layers, bottom first, applying each layer's
/// whiteouts as it goes: what overlayfs shows, for machines without it. The walk never follows a
/// symbolic link on either side: an image's absolute links point into the container, and following
/// one here would write to the host.
/// </summary>
internal sealed class RootfsCopier(ImageStore images)
{
    public void Copy(ImageRecord image, string rootfs)
    {
        foreach (var layer in image.Layers)
        {
            var whiteouts = images.ReadWhiteouts(layer);
            var deleted = whiteouts.Deleted.ToHashSet(StringComparer.Ordinal);
            var opaque = whiteouts.Opaque.ToHashSet(StringComparer.Ordinal);
            Merge(images.LayerDirectory(layer), rootfs, string.Empty, deleted, opaque);
        }
    }

    private static void Merge(string source, string target, string relative, HashSet<string> deleted, HashSet<string> opaque)
    {
        if (opaque.Contains(relative))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(target))
            {
                Delete(entry);
            }
        }

        foreach (var from in Directory.EnumerateFileSystemEntries(source))
        {
            var name = Path.GetFileName(from);
            var childRelative = relative.Length == 0 ? name : $"{relative}/{name}";
            var to = Path.Combine(target, name);
            if (deleted.Contains(childRelative))
            {
                Delete(to);
                continue;
            }

            var status = ImageSyscalls.Stat(from);
            if (status.Type == ImageSyscalls.DirectoryType)
            {
                if (!IsRealDirectory(to))
                {
                    Delete(to);
                    Directory.CreateDirectory(to);
                }

                Merge(from, to, childRelative, deleted, opaque);
                Apply(to, status);
                continue;
            }

            Delete(to);
            switch (status.Type)
            {
                case ImageSyscalls.SymlinkType:
                    File.CreateSymbolicLink(to, new FileInfo(from).LinkTarget!);
                    ImageSyscalls.ChangeOwner(to, status.Uid, status.Gid);
                    continue;
                case ImageSyscalls.RegularFileType:
                    File.Copy(from, to);
                    File.SetLastWriteTimeUtc(to, File.GetLastWriteTimeUtc(from));
                    break;
                default:
                    ImageSyscalls.MakeNode(to, status.Type | (uint)status.Mode, status.DeviceMajor, status.DeviceMinor);
                    break;
            }

            Apply(to, status);
        }
    }

    private static bool IsRealDirectory(string path) => Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;

    private static void Apply(string path, FileStatus status)
    {
        ImageSyscalls.ChangeOwner(path, status.Uid, status.Gid);
        File.SetUnixFileMode(path, status.Mode);
    }

    /// <summary>Removes whatever is at <paramref name="path"/>, a link itself rather than its target.</summary>
    private static void Delete(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (info.LinkTarget is not null || info.Exists)
        {
            File.Delete(path);
        }
    }
}
