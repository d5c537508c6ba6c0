using System.Runtime.InteropServices;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// runc's check of an exec's command before it runs it (Go's <c>exec.LookPath</c>, in the container, as the exec's user,
/// in its working directory): a name with a slash is that file, relative to the working directory; any other is the first
/// executable regular file of that name in the directories of the exec's PATH (an empty entry meaning the working
/// directory). The process runtime runs the check from the agent, through the container's view of the host:
/// <paramref name="root"/> and <paramref name="workingDirectory"/> are its init's <c>/proc/PID/root</c> and
/// <c>/proc/PID/cwd</c>. The execute permission is read from the mode bits as the kernel grants it (root: any execute bit),
/// without ACLs.
/// </summary>
internal static class ExecLookPath
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int StatxUid = 20;
    private const int StatxGid = 24;
    private const int StatxMode = 28;
    private const int FileTypeMask = 0xf000;
    private const int Directory = 0x4000;

    /// <summary>Why runc would not start <paramref name="name"/>, in its words (<c>exec: "NAME": …</c>); null when it would.</summary>
    /// <param name="root">Where the container's <c>/</c> is, seen from the agent.</param>
    /// <param name="workingDirectory">Where the exec's working directory is, seen from the agent.</param>
    /// <param name="path">The exec's PATH; null when its environment has none.</param>
    /// <param name="user">Who the exec runs as.</param>
    /// <param name="name">The command's first word.</param>
    public static string? Failure(string root, string workingDirectory, string? path, ProcessUser user, string name)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return Executable(Resolve(root, workingDirectory, name), name, user) is { } reason ? $"exec: \"{name}\": {reason}" : null;
        }

        // As Go's filepath.SplitList, an empty PATH has no entries at all, not one empty one.
        foreach (var directory in string.IsNullOrEmpty(path) ? [] : path.Split(':'))
        {
            var candidate = $"{(directory.Length == 0 ? "." : directory).TrimEnd('/')}/{name}";
            if (Executable(Resolve(root, workingDirectory, candidate), candidate, user) is null)
            {
                return null;
            }
        }

        return $"exec: \"{name}\": executable file not found in $PATH";
    }

    /// <summary>Go's findExecutable: why the file cannot be executed (stat's error, a directory, no permission), or null.</summary>
    private static string? Executable(string file, string shownAs, ProcessUser user)
    {
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, file, 0, StatxBasicStats, buffer) != 0)
        {
            return $"stat {shownAs}: {GoErrorText(Marshal.GetLastPInvokeError())}";
        }

        var mode = BitConverter.ToUInt16(buffer, StatxMode);
        if ((mode & FileTypeMask) == Directory)
        {
            return "is a directory";
        }

        var uid = BitConverter.ToUInt32(buffer, StatxUid);
        var gid = BitConverter.ToUInt32(buffer, StatxGid);
        var bits = user.Uid == 0 ? (mode >> 6) | (mode >> 3) | mode
            : user.Uid == uid ? mode >> 6
            : user.Gid == gid || user.AdditionalGids.Contains(gid) ? mode >> 3
            : mode;
        return (bits & 1) == 0 ? "permission denied" : null;
    }

    private static string Resolve(string root, string workingDirectory, string name) =>
        name.StartsWith('/') ? root.TrimEnd('/') + name : $"{workingDirectory.TrimEnd('/')}/{name}";

    /// <summary>strerror's text as Go's syscall package spells it: the same words, starting lower case.</summary>
    private static string GoErrorText(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }

    /// <summary>statx(2): its buffer's layout is the same on every architecture, unlike stat's.</summary>
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
