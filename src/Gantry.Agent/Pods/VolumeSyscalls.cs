using System.Runtime.InteropServices;

namespace Gantry.Agent.Pods;

/// <summary>The calls volumes need that .NET does not offer: an atomic rename of a link, realpath (mounts: <see cref="Images.ImageSyscalls"/>).</summary>
internal static class VolumeSyscalls
{
    /// <summary>rename(2): replaces <paramref name="destination"/> itself, even a symbolic link to a directory.</summary>
    public static void Rename(string source, string destination) => Check(RenameCall(source, destination), "rename", destination);

    /// <summary>The path with every symbolic link and <c>..</c> resolved; the path must exist.</summary>
    public static string RealPath(string path)
    {
        var resolved = RealPathCall(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"realpath {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Free(resolved);
        }
    }

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameCall([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string destination);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr RealPathCall([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void Free(IntPtr pointer);
}
