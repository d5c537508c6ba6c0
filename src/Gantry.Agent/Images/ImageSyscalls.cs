using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.Agent.Images;

/// <summary>
/// The few filesystem calls .NET does not offer and unpacking and mounting images need: device
/// nodes (overlay whiteouts), extended attributes (opaque directories), ownership without
/// following links, hard links, and mount/umount for overlayfs (and the tmpfs of memory-backed volumes).
/// </summary>
internal static class ImageSyscalls
{
    public const uint CharacterDeviceType = 0x2000;
    public const uint BlockDeviceType = 0x6000;
    public const uint FifoType = 0x1000;
    public const uint DirectoryType = 0x4000;
    public const uint RegularFileType = 0x8000;
    public const uint SymlinkType = 0xa000;

    private const int MountDetach = 2;
    private const int CurrentDirectory = -100;
    private const int SymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;
    private const int InvalidArgument = 22;
    private const int NoSuchFile = 2;

    public static void MakeNode(string path, uint typeAndMode, int major, int minor) =>
        Check(MkNod(path, typeAndMode, MakeDevice((uint)major, (uint)minor)), "mknod", path);

    public static void SetXattr(string path, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Check(LSetXattr(path, name, bytes, (nuint)bytes.Length, 0), "lsetxattr", path);
    }

    public static void ChangeOwner(string path, int uid, int gid) => Check(LChown(path, uid, gid), "lchown", path);

    public static void HardLink(string existing, string path) => Check(Link(existing, path), "link", path);

    /// <summary>Mounts a filesystem of <paramref name="type"/> (overlay, tmpfs) on <paramref name="target"/>, with <paramref name="options"/> as mount(8)'s -o.</summary>
    public static void Mount(string type, string target, string options) =>
        Check(MountCall(type, target, type, 0, options), "mount " + type, target);

    /// <summary>Detaches the mount at <paramref name="target"/>; false when nothing was mounted there.</summary>
    public static bool Unmount(string target)
    {
        if (UMount2(target, MountDetach) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is InvalidArgument or NoSuchFile
            ? false
            : throw new IOException($"umount {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>
    /// lstat through statx, whose struct layout is the same on every architecture (struct stat's is
    /// not), so it can be read at fixed offsets.
    /// </summary>
    public static FileStatus Stat(string path)
    {
        var buffer = new byte[256];
        Check(StatX(CurrentDirectory, path, SymlinkNoFollow, BasicStats, buffer), "statx", path);
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        return new FileStatus(
            (uint)mode & 0xf000,
            (UnixFileMode)(mode & 0xfff),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(128)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(132)));
    }

    /// <summary>glibc's makedev: the split major/minor encoding of a 64-bit dev_t.</summary>
    private static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MkNod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong device);

    [DllImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LSetXattr(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        byte[] value,
        nuint size,
        int flags);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MountCall(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string source,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string fileSystemType,
        ulong flags,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int UMount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);
}
