using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Named pipes (FIFOs), which .NET cannot create, nor open for writing without blocking forever
/// when nobody reads them.
/// </summary>
internal static class Fifo
{
    private const int WriteOnly = 0x1;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;
    private const int NoReader = 6;
    private const int NoSuchFile = 2;
    private const int OwnerReadWrite = 0x180;

    /// <summary>Creates a FIFO only root can open.</summary>
    public static void Create(string path)
    {
        if (MakeFifo(path, OwnerReadWrite) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"mkfifo {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>
    /// Opens the FIFO for (blocking) writes, or returns null when it is missing or nobody has it open
    /// for reading: a plain open would wait for a reader that, its workload gone, never comes.
    /// </summary>
    public static FileStream? OpenWriter(string path)
    {
        var fd = Open(path, WriteOnly | NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoReader or NoSuchFile
                ? null
                : throw new IOException($"open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var flags = Fcntl(fd, GetStatusFlags, 0);
        if (flags < 0 || Fcntl(fd, SetStatusFlags, flags & ~NonBlocking) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"fcntl {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new FileStream(handle, FileAccess.Write, bufferSize: 0);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int fd, int command, int argument);
}
