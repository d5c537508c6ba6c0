using Gantry.Agent.Images;

namespace Gantry.Agent.Pods;

/// <summary>
/// The tmpfs of an <c>emptyDir</c> whose medium is <c>Memory</c>: mounted once on the volume's directory, and detached
/// before a pod's directory is deleted, so that the deletion never walks a mount.
/// </summary>
internal static class MemoryMedium
{
    /// <summary>
    /// Mounts a tmpfs of <paramref name="sizeBytes"/> (else the kernel's default, half the memory) unless one is already
    /// there: an agent restarted finds its pods' tmpfs mounted, with their files. Whether it mounted one now.
    /// </summary>
    public static bool Mount(string directory, long? sizeBytes)
    {
        if (IsMountPoint(directory))
        {
            return false;
        }

        ImageSyscalls.Mount("tmpfs", directory, sizeBytes is { } size ? $"size={size}" : "");
        return true;
    }

    public static bool IsMountPoint(string directory) => MountInfo.MountPoints().Contains(Path.GetFullPath(directory), StringComparer.Ordinal);

    /// <summary>Detaches every mount below <paramref name="directory"/>, deepest first.</summary>
    /// <exception cref="IOException">A mount below the directory is still there: deleting the directory would delete into it.</exception>
    public static void UnmountBelow(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/";
        foreach (var mountPoint in MountsBelow(root).OrderByDescending(m => m.Length).ToList())
        {
            // Until nothing is left there: a volume set up twice over may hold two mounts stacked.
            while (ImageSyscalls.Unmount(mountPoint))
            {
            }
        }

        if (MountsBelow(root).FirstOrDefault() is { } left)
        {
            throw new IOException($"{left} is still mounted; not deleting {directory}");
        }
    }

    private static IEnumerable<string> MountsBelow(string root) =>
        MountInfo.MountPoints().Where(m => m.StartsWith(root, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
}
