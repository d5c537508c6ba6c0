using System.Globalization;
using System.Security.Cryptography;

namespace Gantry.Agent.Pods;

/// <summary>
/// Writes a volume's payload as kubelet's AtomicWriter lays it out, so that a container never sees half of an update:
/// the files go to a fresh <c>..YYYY_MM_DD_HH_MM_SS.N</c> directory, the <c>..data</c> link is renamed onto it in one
/// step, and each top-level name of the payload is a link <c>NAME -&gt; ..data/NAME</c> the containers read through.
/// A payload equal to what <c>..data</c> already holds is left as it is: setting a volume up again (another
/// container, an agent restarted) rewrites nothing. With the pod's fsGroup, the whole volume is given to the group
/// each time a payload is written, before <c>..data</c> moves, as kubelet's writer calls its setPerms: the new files
/// are the group's by the time a container can see them.
/// </summary>
internal sealed class AtomicWriter(string volume, string targetDirectory, TimeProvider time, VolumeOwnership? ownership)
{
    private const string DataLink = "..data";
    private const string NewDataLink = "..data_tmp";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ed; // 0755

    /// <summary>Writes the payload unless it is already there; whether it wrote.</summary>
    /// <exception cref="VolumeSetupException">
    /// A path of the payload is absolute or climbs out with <c>..</c>, or the fsGroup could not be applied (<c>..data</c> is left as it was).
    /// </exception>
    public bool Write(IReadOnlyDictionary<string, FileProjection> payload)
    {
        var files = payload.ToDictionary(kv => Clean(kv.Key), kv => kv.Value, StringComparer.Ordinal);
        var dataLink = Path.Combine(targetDirectory, DataLink);
        var oldData = new FileInfo(dataLink).LinkTarget;
        var oldDirectory = oldData is null ? null : Path.Combine(targetDirectory, oldData);
        var visible = files.Keys.Select(TopLevelName).ToHashSet(StringComparer.Ordinal);
        if (oldDirectory is not null && Holds(oldDirectory, files) && visible.All(IsVisible))
        {
            return false;
        }

        var newData = NewDataDirectoryName();
        var newDirectory = Path.Combine(targetDirectory, newData);
        Directory.CreateDirectory(newDirectory, DirectoryMode);
        foreach (var (path, file) in files)
        {
            var full = Path.Combine(newDirectory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!, DirectoryMode);
            File.WriteAllBytes(full, file.Data);

            // Set after writing: the mode asked for, not the one the umask leaves.
            File.SetUnixFileMode(full, file.Mode);
        }

        try
        {
            ownership?.Apply(volume, targetDirectory);
        }
        catch (VolumeSetupException)
        {
            Directory.Delete(newDirectory, recursive: true);
            throw;
        }

        var newLink = Path.Combine(targetDirectory, NewDataLink);
        File.Delete(newLink);
        File.CreateSymbolicLink(newLink, newData);
        VolumeSyscalls.Rename(newLink, dataLink);

        foreach (var name in visible.Where(name => !IsVisible(name)))
        {
            MakeVisible(name);
        }

        if (oldDirectory is not null && Directory.Exists(oldDirectory))
        {
            foreach (var stale in Directory.EnumerateFileSystemEntries(oldDirectory).Select(Path.GetFileName).Where(name => !visible.Contains(name!)))
            {
                File.Delete(Path.Combine(targetDirectory, stale!));
            }

            Directory.Delete(oldDirectory, recursive: true);
        }

        return true;
    }

    /// <summary>A payload path made relative and clean, refused as kubelet's validatePath refuses it.</summary>
    private string Clean(string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path))
        {
            throw new VolumeSetupException(volume, $"invalid path: must be relative path: {path}");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new VolumeSetupException(volume, $"invalid path: must not contain '..': {path}");
        }

        if (parts.Count == 0 || parts[0].StartsWith("..", StringComparison.Ordinal))
        {
            throw new VolumeSetupException(volume, $"invalid path: must not start with '..': {path}");
        }

        return string.Join('/', parts);
    }

    private static string TopLevelName(string path) => path.Split('/')[0];

    /// <summary>Whether the directory holds exactly these files, with these bytes and modes (as the fsGroup widens them).</summary>
    private bool Holds(string directory, Dictionary<string, FileProjection> files)
    {
        if (!Directory.Exists(directory))
        {
            return false;
        }

        var present = Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(full => Path.GetRelativePath(directory, full))
            .ToList();
        return present.Count == files.Count && present.All(path =>
            files.TryGetValue(path, out var file)
            && File.GetUnixFileMode(Path.Combine(directory, path)) == (ownership?.ModeAfter(file.Mode) ?? file.Mode)
            && File.ReadAllBytes(Path.Combine(directory, path)).AsSpan().SequenceEqual(file.Data));
    }

    private bool IsVisible(string name) =>
        new FileInfo(Path.Combine(targetDirectory, name)).LinkTarget == Path.Combine(DataLink, name);

    /// <summary>
    /// Links the name through <c>..data</c>, replacing whatever else is there: files an agent wrote before this
    /// layout, directly in the volume directory.
    /// </summary>
    private void MakeVisible(string name)
    {
        var path = Path.Combine(targetDirectory, name);
        var entry = new FileInfo(path);
        if (entry.LinkTarget is null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            entry.Delete();
        }

        File.CreateSymbolicLink(path, Path.Combine(DataLink, name));
    }

    /// <summary>A UTC timestamp as kubelet names its payload directories, then a random number as os.MkdirTemp adds.</summary>
    private string NewDataDirectoryName() =>
        time.GetUtcNow().ToString("..yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);
}
