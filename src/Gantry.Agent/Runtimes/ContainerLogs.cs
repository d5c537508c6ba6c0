namespace Gantry.Agent.Runtimes;

/// <summary>
/// Where container logs live: &lt;logs&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;id&gt;.log, the
/// kubelet's /var/log/pods layout with the container ID in place of the restart count. The shim writes them as CRI
/// records (<see cref="CriLogRecord"/>).
/// </summary>
public static class ContainerLogs
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

    /// <summary>What the container wrote, decoded: all of it, or what its last <paramref name="tailLines"/> records hold.</summary>
    public static byte[] ReadContent(string path, int? tailLines = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Position = tailLines is { } lines ? TailOffset(file, lines) : 0;
        var decoder = new ContainerLogDecoder(new ContainerLogView());
        int read;
        while ((read = file.Read(decoder.InputSpace().Span)) > 0)
        {
            decoder.Decode(read);
        }

        decoder.Finish();
        return decoder.Output.ToArray();
    }

    /// <summary>The offset where the last <paramref name="lines"/> lines begin, counted in the file as kubelet's tail counts them.</summary>
    public static long TailOffset(FileStream file, int lines)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (lines <= 0)
        {
            return file.Length;
        }

        var position = file.Length;
        var seen = 0;
        var buffer = new byte[8192];
        if (position > 0)
        {
            file.Position = position - 1;
            if (file.ReadByte() == '\n')
            {
                position--;
            }
        }

        while (position > 0)
        {
            var chunk = (int)Math.Min(buffer.Length, position);
            position -= chunk;
            file.Position = position;
            file.ReadExactly(buffer, 0, chunk);
            for (var i = chunk - 1; i >= 0; i--)
            {
                if (buffer[i] == '\n' && ++seen == lines)
                {
                    return position + i + 1;
                }
            }
        }

        return 0;
    }
}
