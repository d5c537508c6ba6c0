namespace Gantry.Agent.Pods;

/// <summary>
/// A volume mount's <c>subPath</c> as the host path to bind, as kubelet's makeMounts and subpath preparation find it:
/// relative, with no <c>..</c>, created as a directory when missing, and resolved through its links (a configMap's
/// <c>KEY -&gt; ..data/KEY</c> leads to the file itself) to a place that must still lie inside the volume.
/// </summary>
internal static class SubPaths
{
    /// <exception cref="VolumeSetupException">The subPath is absolute, climbs with <c>..</c>, or leads out of the volume.</exception>
    public static string Resolve(string volume, string volumePath, string subPath)
    {
        if (Path.IsPathRooted(subPath))
        {
            throw new VolumeSetupException(volume, $"error SubPath `{subPath}` must not be an absolute path");
        }

        if (subPath.Split('/').Contains(".."))
        {
            throw new VolumeSetupException(volume, $"unable to provision SubPath `{subPath}`: must not contain '..'");
        }

        if (!Directory.Exists(volumePath))
        {
            // An untyped hostPath is not checked; a subPath needs a directory to lie in.
            throw new VolumeSetupException(volume, $"unable to provision SubPath `{subPath}`: {volumePath} is not a directory");
        }

        var realVolume = VolumeSyscalls.RealPath(volumePath);
        var path = Path.Combine(volumePath, subPath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            // Only below the part that exists, once that part is known to be inside the volume.
            InsideOrThrow(volume, VolumeSyscalls.RealPath(DeepestExisting(path)), realVolume);
            Directory.CreateDirectory(path, File.GetUnixFileMode(realVolume));
        }

        return InsideOrThrow(volume, VolumeSyscalls.RealPath(path), realVolume);
    }

    private static string InsideOrThrow(string volume, string realPath, string realVolume) =>
        realPath == realVolume || realPath.StartsWith(Path.TrimEndingDirectorySeparator(realVolume) + "/", StringComparison.Ordinal)
            ? realPath
            : throw new VolumeSetupException(volume, $"subpath \"{realPath}\" not within volume path \"{realVolume}\"");

    private static string DeepestExisting(string path)
    {
        while (!File.Exists(path) && !Directory.Exists(path))
        {
            path = Path.GetDirectoryName(path)!;
        }

        return path;
    }
}
