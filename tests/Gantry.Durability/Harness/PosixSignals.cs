using System.Runtime.InteropServices;

namespace Gantry.Harness;

/// <summary>Process.Kill only sends SIGKILL; a graceful stop needs SIGTERM (or SIGINT) from libc.</summary>
public static class PosixSignals
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <returns>0 on success, -1 when the process is gone.</returns>
    public static int Terminate(int pid) => Kill(pid, SigTerm);

    /// <returns>0 on success, -1 when the process is gone.</returns>
    public static int Interrupt(int pid) => Kill(pid, SigInt);

    // DllImport rather than LibraryImport: the generated stub would need AllowUnsafeBlocks, and two ints marshal trivially.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
