namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// Where a process container's mounts land. It has no root filesystem of its own: its mounts are bind mounts onto the
/// host's paths, in its own mount namespace, and nothing can make a path there without making it on the host. So, as
/// Mesos refuses an absolute container path that is missing from the host for a task without an image, the container
/// is refused before it starts, with the path named, rather than failing inside the shim with a bare errno. A mount
/// point under an earlier mount of the same container is looked for in that mount's host path, where it will be.
/// </summary>
internal static class HostMountPoints
{
    /// <exception cref="InvalidOperationException">A mount point is missing, or is a file where a directory is mounted (or the reverse).</exception>
    public static void Check(IReadOnlyList<ContainerMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var target = WhereOnTheHost(mount.ContainerPath, mounts.Take(i));
            var sourceIsDirectory = Directory.Exists(mount.HostPath);
            if (sourceIsDirectory ? !Directory.Exists(target) : !File.Exists(target))
            {
                throw new InvalidOperationException(
                    Directory.Exists(target) || File.Exists(target)
                        ? $"mount point {mount.ContainerPath} is a {(sourceIsDirectory ? "file" : "directory")}, and the volume mounted there is a {(sourceIsDirectory ? "directory" : "file")}"
                        : $"mount point {mount.ContainerPath} does not exist on the host: a process container runs on the host's filesystem, so its volumes can only be mounted on paths that exist there");
            }
        }
    }

    /// <summary>The host path that will be at <paramref name="containerPath"/> once <paramref name="earlier"/> are mounted.</summary>
    private static string WhereOnTheHost(string containerPath, IEnumerable<ContainerMount> earlier)
    {
        var under = earlier
            .Where(mount => IsUnder(containerPath, mount.ContainerPath))
            .MaxBy(mount => mount.ContainerPath.TrimEnd('/').Length);
        return under is null
            ? containerPath
            : Path.Join(under.HostPath, containerPath[under.ContainerPath.TrimEnd('/').Length..]);
    }

    private static bool IsUnder(string path, string directory)
    {
        var prefix = directory.TrimEnd('/');
        return path.StartsWith(prefix + "/", StringComparison.Ordinal);
    }
}
