namespace Gantry.Agent.Runtimes;

/// <summary>
/// Where container logs live: &lt;logs&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;id&gt;.log, the
/// kubelet's /var/log/pods layout with the container ID in place of the restart count.
/// </summary>
internal static class ContainerLogs
{
    public static string PathFor(string logDirectory, ContainerHandle handle) =>
        Path.Combine(logDirectory, $"{handle.PodNamespace}_{handle.PodName}_{handle.PodUid}", handle.ContainerName, handle.Id + ".log");

    /// <summary>Creates the log's directories and the empty log, so a reader finds it from the start.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (File.Open(path, FileMode.Append))
        {
        }
    }

    /// <summary>Deletes the log and the container's and pod's log directories once they are empty.</summary>
    public static void Delete(string logDirectory, string path)
    {
        // A start that failed before the log was created leaves no directory to delete it from.
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var root = Path.GetFullPath(logDirectory);
        for (var directory = Path.GetDirectoryName(Path.GetFullPath(path));
             directory is not null && directory.Length > root.Length && directory.StartsWith(root, StringComparison.Ordinal);
             directory = Path.GetDirectoryName(directory))
        {
            if (!Directory.Exists(directory) || Directory.EnumerateFileSystemEntries(directory).Any())
            {
                return;
            }

            Directory.Delete(directory);
        }
    }
}
