using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// Turns on the kernel's <c>favordynmods</c> option of the cgroup2 hierarchy. Every container start moves a
/// process into its cgroups (a write to <c>cgroup.procs</c> in each hierarchy). Without the option that write takes
/// the kernel's global threadgroup lock for writing, which first waits for an RCU grace period: 8 to 27 ms on a
/// 250 Hz kernel, on the path of every pod's start (runc pays it too). With it (Linux 6.0 and later) the write does
/// not wait, and from Linux 6.18 it locks only the process being moved. Forks and exits pay slightly more in
/// exchange, the trade the kernel documents for hosts whose cgroups change often. The lock is global, so the
/// option on the unified hierarchy also serves the v1 hierarchies of a hybrid machine.
/// </summary>
public static class CgroupDynamicModifications
{
    public const string Option = "favordynmods";

    /// <summary>
    /// Reconfigures the unified hierarchy with the option added. A reconfiguration replaces every option of the
    /// hierarchy, so those it has (<c>nsdelegate</c>, <c>memory_recursiveprot</c>…) are given again.
    /// </summary>
    /// <returns>The hierarchy that was changed; null when there is none or it had the option already.</returns>
    /// <exception cref="Win32Exception">The kernel refused: it predates the option, or this is not the host's cgroup namespace.</exception>
    public static string? Favor(CgroupHierarchies hierarchies)
    {
        if (hierarchies.UnifiedMount is not { } mount || hierarchies.UnifiedOptions.Contains(Option))
        {
            return null;
        }

        using var context = Reconfiguration.Pick(mount);
        foreach (var option in OptionsWithFavor(hierarchies.UnifiedOptions))
        {
            context.SetFlag(option);
        }

        context.Apply();
        return mount;
    }

    /// <summary>What the reconfiguration sets: the hierarchy's own options, then <see cref="Option"/>.</summary>
    public static IReadOnlyList<string> OptionsWithFavor(IReadOnlyList<string> current) =>
        [.. current.Where(option => option != Option), Option];

    /// <summary>A superblock reconfiguration through the new mount API (<c>fspick</c>, <c>fsconfig</c>), which leaves the mount's own flags alone.</summary>
    private sealed class Reconfiguration : IDisposable
    {
        private const uint FspickCloexec = 1;
        private const uint FsconfigSetFlag = 0;
        private const uint FsconfigCmdReconfigure = 7;

        private readonly SafeFileHandle _context;

        private Reconfiguration(int fd) => _context = new SafeFileHandle(fd, ownsHandle: true);

        private int Fd => (int)_context.DangerousGetHandle();

        public static Reconfiguration Pick(string mount)
        {
            var fd = FsPick(-100, mount, FspickCloexec);
            return fd < 0 ? throw Failure($"fspick {mount}") : new Reconfiguration(fd);
        }

        public void SetFlag(string option)
        {
            if (FsConfig(Fd, FsconfigSetFlag, option, IntPtr.Zero, 0) < 0)
            {
                throw Failure($"fsconfig {option}");
            }
        }

        public void Apply()
        {
            if (FsConfig(Fd, FsconfigCmdReconfigure, null, IntPtr.Zero, 0) < 0)
            {
                throw Failure("fsconfig reconfigure");
            }
        }

        public void Dispose() => _context.Dispose();

        private static Win32Exception Failure(string call)
        {
            var errno = Marshal.GetLastPInvokeError();
            return new Win32Exception(errno, $"{call}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        [DllImport("libc", EntryPoint = "fspick", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int FsPick(int dirfd, string path, uint flags);

        [DllImport("libc", EntryPoint = "fsconfig", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int FsConfig(int fd, uint command, string? key, IntPtr value, int aux);
    }
}
