using System.Runtime.InteropServices;
using Gantry.Agent.IO;
using Microsoft.Win32.SafeHandles;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// A pseudo-terminal the agent holds the master side of, for <c>kubectl exec -t</c>: the command opens the terminal
/// (<see cref="TerminalPath"/>) as its stdin, stdout and stderr, and the agent reads and writes the master, and sets
/// the window size the client sends (the kernel then signals SIGWINCH to the command).
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private const int ReadWrite = 0x2;
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;
    private const ulong SetWindowSize = 0x5414;

    private readonly SafeFileHandle _master;

    private PseudoTerminal(SafeFileHandle master, string terminalPath)
    {
        _master = master;
        TerminalPath = terminalPath;
        Master = new FileStream(master, FileAccess.ReadWrite, bufferSize: 0);
        Output = new TerminalOutput(Master);
    }

    /// <summary>The terminal's device (<c>/dev/pts/N</c>), which the command opens.</summary>
    public string TerminalPath { get; }

    /// <summary>The master side: what is written here is the command's input.</summary>
    public FileStream Master { get; }

    /// <summary>What the command writes, read from the master; it ends once no process has the terminal open any more.</summary>
    public Stream Output { get; }

    public static PseudoTerminal Open()
    {
        var fd = OpenMaster(ReadWrite | NoControllingTerminal | CloseOnExec);
        if (fd < 0)
        {
            throw Failure("posix_openpt");
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        var name = new byte[128];
        if (GrantTerminal(fd) != 0 || UnlockTerminal(fd) != 0 || TerminalName(fd, name, (nuint)name.Length) != 0)
        {
            var failure = Failure("grantpt, unlockpt or ptsname_r");
            master.Dispose();
            throw failure;
        }

        return new PseudoTerminal(master, System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0)));
    }

    /// <summary>Sets the terminal's size in characters.</summary>
    public void Resize(ushort columns, ushort rows)
    {
        var size = new WindowSize { Rows = rows, Columns = columns };
        if (SetSize(_master, SetWindowSize, ref size) != 0)
        {
            throw Failure("ioctl TIOCSWINSZ");
        }
    }

    public void Dispose() => Master.Dispose();

    private static IOException Failure(string call) => new($"{call}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    /// <summary>The master's reads, where the EIO that says the terminal was closed reads as the end of the stream.</summary>
    private sealed class TerminalOutput(FileStream master) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await master.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [DllImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int OpenMaster(int flags);

    [DllImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GrantTerminal(int fd);

    [DllImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int UnlockTerminal(int fd);

    [DllImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int TerminalName(int fd, byte[] name, nuint length);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetSize(SafeFileHandle fd, ulong request, ref WindowSize size);
}
