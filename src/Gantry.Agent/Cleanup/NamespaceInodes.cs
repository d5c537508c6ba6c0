using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Gantry.Agent.Cleanup;

/// <summary>
/// Network namespaces by inode, the identity the kernel shows as <c>net:[INODE]</c>: that of a named namespace is
/// its bind-mounted file's inode (statx), those of live processes are read from <c>/proc/PID/ns/net</c>.
/// </summary>
internal static class NamespaceInodes
{
    private const int CurrentDirectory = -100;
    private const uint InodeMask = 0x100;

    /// <summary>The namespace a bind-mounted namespace file refers to, or null if it is gone.</summary>
    public static string? Of(string path)
    {
        var buffer = new byte[256];
        if (StatX(CurrentDirectory, path, 0, InodeMask, buffer) != 0)
        {
            return null;
        }

        // struct statx: stx_ino is the u64 at offset 32 on every architecture.
        return string.Create(CultureInfo.InvariantCulture, $"net:[{BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32))}]");
    }

    /// <summary>The namespaces some process on the host is in.</summary>
    public static HashSet<string> OfProcesses()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out _))
            {
                continue;
            }

            try
            {
                if (new FileInfo(Path.Combine(process, "ns", "net")).LinkTarget is { } target)
                {
                    inodes.Add(target);
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return inodes;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
