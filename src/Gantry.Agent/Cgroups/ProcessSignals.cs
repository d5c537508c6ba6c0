using System.Runtime.InteropServices;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// Sends signals to processes the agent did not start (or no longer parents): .NET can only
/// SIGKILL a <see cref="System.Diagnostics.Process"/>, and graceful stops need SIGTERM.
/// </summary>
internal static class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Send(int pid, int signal)
    {
        if (pid <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "Signalling process groups or every process is never intended.");
        }

        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new IOException($"kill({pid}, {signal}): {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
