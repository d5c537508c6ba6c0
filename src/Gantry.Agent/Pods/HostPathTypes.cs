using Gantry.Agent.Images;

namespace Gantry.Agent.Pods;

/// <summary>
/// A hostPath volume's <c>type</c>, checked (and for the <c>OrCreate</c> types, made so) as kubelet's hostpath plugin
/// does, with its messages. Links are followed, as os.Stat follows them.
/// </summary>
internal static class HostPathTypes
{
    private const uint SocketType = 0xc000;
    private const UnixFileMode CreatedDirectoryMode = (UnixFileMode)0x1ed; // 0755
    private const UnixFileMode CreatedFileMode = (UnixFileMode)0x1a4; // 0644

    /// <param name="volume">The volume's name, for the message.</param>
    /// <param name="path">The path on the host.</param>
    /// <param name="type">The hostPath type, if any.</param>
    /// <param name="createdMode">
    /// The mode a directory <c>DirectoryOrCreate</c> creates is given whatever the umask; null for kubelet's 0755 less
    /// the umask.
    /// </param>
    /// <exception cref="VolumeSetupException">The path is not of the type, or could not be created as one.</exception>
    public static void Check(string volume, string path, string? type, UnixFileMode? createdMode = null)
    {
        switch (type ?? "")
        {
            case "":
                return;
            case "DirectoryOrCreate" when !Exists(path):
                // MkdirAll: parents too, 0755 less the umask.
                Directory.CreateDirectory(path, CreatedDirectoryMode);
                if (createdMode is { } mode)
                {
                    File.SetUnixFileMode(path, mode);
                }

                return;
            case "DirectoryOrCreate" or "Directory":
                Expect(volume, path, Directory.Exists(path), "a directory");
                return;
            case "FileOrCreate" when !Exists(path):
                MakeFile(volume, path);
                return;
            case "FileOrCreate" or "File":
                Expect(volume, path, TypeOf(path) == ImageSyscalls.RegularFileType, "a file");
                return;
            case "Socket":
                Expect(volume, path, TypeOf(path) == SocketType, "a socket file");
                return;
            case "CharDevice":
                Expect(volume, path, TypeOf(path) == ImageSyscalls.CharacterDeviceType, "a character device");
                return;
            case "BlockDevice":
                Expect(volume, path, TypeOf(path) == ImageSyscalls.BlockDeviceType, "a block device");
                return;
            default:
                throw new VolumeSetupException(volume, $"{type} is an invalid volume type");
        }
    }

    private static void Expect(string volume, string path, bool matches, string description)
    {
        if (!matches)
        {
            throw new VolumeSetupException(volume, $"hostPath type check failed: {path} is not {description}");
        }
    }

    /// <summary>As os.Stat: a link that leads nowhere does not exist.</summary>
    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>The type bits of what the path leads to; 0 when nothing is there.</summary>
    public static uint TypeOf(string path)
    {
        if (!Exists(path))
        {
            return 0;
        }

        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return ImageSyscalls.Stat(target).Type;
    }

    /// <summary>
    /// os.OpenFile(O_CREATE, 0644): an empty file, but only in a directory that exists (kubelet creates no parents).
    /// </summary>
    private static void MakeFile(string volume, string path)
    {
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Read, UnixCreateMode = CreatedFileMode });
        }
        catch (DirectoryNotFoundException)
        {
            throw new VolumeSetupException(volume, $"open {path}: no such file or directory");
        }
    }
}
