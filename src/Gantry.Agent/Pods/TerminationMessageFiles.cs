using System.Security.Cryptography;
using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The per-instance files kubelet mounts at a container's terminationMessagePath: created empty with mode 0666 (so
/// any user of the container may write it) before the start, under a name of its own, then named after the instance
/// it became, under the pod's directory, so that the message of an instance is found again after an agent restart.
/// The directory's name has a dot, which no volume's can have.
/// </summary>
public static class TerminationMessageFiles
{
    public const string DefaultPath = "/dev/termination-log";

    private const string DirectoryName = "termination.log";

    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                                      | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The path the container writes its message to; null when its spec sets an empty one.</summary>
    public static string? ContainerPath(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.TerminationMessagePath switch
        {
            null => DefaultPath,
            "" => null,
            var path => path,
        };
    }

    /// <summary>Creates the empty file a new instance of <paramref name="container"/> will write; returns its host path.</summary>
    public static string Create(string podDirectory, string container)
    {
        var dir = Path.Combine(podDirectory, DirectoryName, container);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "new-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        File.WriteAllBytes(path, []);
        // Set after the create, which the umask narrows.
        File.SetUnixFileMode(path, Mode);
        return path;
    }

    /// <summary>
    /// Names the file <paramref name="created"/> after the instance started with it. The container's bind mount
    /// follows the file, not its name.
    /// </summary>
    public static void Keep(string created, ContainerHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        File.Move(created, Path.Combine(Path.GetDirectoryName(created)!, handle.Id));
    }

    /// <summary>The file of an instance, whether or not it has one.</summary>
    public static string Of(string podDirectory, ContainerHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Path.Combine(podDirectory, DirectoryName, handle.ContainerName, handle.Id);
    }
}
