using System.Runtime.InteropServices;
using Gantry.Agent.Runtimes.Processes;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent;

/// <summary>
/// The parts of an agent's state directory that describe only what the running kernel holds: the process runtime's
/// containers (their checkpoints and the shims' records) and the pods' sandboxes (records, the pool, host-local's
/// addresses). They are kept on a tmpfs, as containerd keeps its runtime state under /run: a pod's start then creates
/// no file on the disk and waits on no journal, and after a reboot they start empty, as the processes and network
/// namespaces they described are gone. The oci runtime's directories stay on disk: they hold the containers' rootfs
/// upper layers. Logs, volumes and images stay on disk too.
/// </summary>
public static class VolatileState
{
    private const ulong NoSetUid = 2;
    private const ulong NoDevices = 4;
    private const ulong NoExecution = 8;

    /// <summary>Room for the records of thousands of containers; a tmpfs takes memory only for what it holds.</summary>
    private const string MountOptions = "mode=0755,size=64m";

    /// <summary>The directories kept on a tmpfs, below <paramref name="stateDirectory"/>.</summary>
    public static IReadOnlyList<string> Directories(string stateDirectory) =>
    [
        Path.Combine(stateDirectory, AgentLayout.Network),
        Path.Combine(stateDirectory, AgentLayout.Containers, ProcessRuntime.RuntimeName),
    ];

    /// <summary>
    /// Mounts a tmpfs on each directory that is not in memory yet. One already on a tmpfs (mounted by an earlier run
    /// of this agent, whose pods it still describes) is kept; one that holds files on disk (an agent from before
    /// this layout, with pods running) stays on disk, as does any where the mount is refused.
    /// </summary>
    public static void Mount(string stateDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        foreach (var directory in Directories(stateDirectory))
        {
            Directory.CreateDirectory(directory);
            if (IsInMemory(directory))
            {
                continue;
            }

            if (Directory.EnumerateFileSystemEntries(directory).Any())
            {
                VolatileStateLog.KeptOnDisk(logger, directory);
                continue;
            }

            if (MountSyscall("tmpfs", directory, "tmpfs", NoSetUid | NoDevices | NoExecution, MountOptions) != 0)
            {
                VolatileStateLog.MountRefused(logger, directory, Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                continue;
            }

            VolatileStateLog.Mounted(logger, directory);
        }
    }

    /// <summary>Whether <paramref name="directory"/> lies on a tmpfs.</summary>
    public static bool IsInMemory(string directory) =>
        string.Equals(new DriveInfo(Path.GetFullPath(directory)).DriveFormat, "tmpfs", StringComparison.Ordinal);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MountSyscall(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string source,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string fileSystemType,
        ulong flags,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string data);
}
