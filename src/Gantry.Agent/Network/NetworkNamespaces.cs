using System.ComponentModel;
using System.Runtime.InteropServices;
using Gantry.Agent.Images;

namespace Gantry.Agent.Network;

/// <summary>
/// Named network namespaces, made and removed as <c>ip netns add|delete</c> makes and removes them (a file under
/// <see cref="Directory"/> with the namespace bind-mounted on it, the directory a shared mount), so operators inspect
/// them the same way. The system calls are made here rather than through <c>ip</c> (and the loopback CNI plugin):
/// a pod's sandbox then costs two programs fewer, about 8 ms of CPU on the path of every pod start. The calling thread
/// enters the new namespace to make it, so a dedicated thread does it and returns to the host's namespace at once.
/// </summary>
internal static class NetworkNamespaces
{
    /// <summary>Where <c>ip netns</c> bind-mounts named namespaces; the path is what CNI_NETNS and runtimes are given.</summary>
    public const string Directory = "/var/run/netns";

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Makes the namespace with its loopback interface up, as the loopback plugin leaves it.</summary>
    /// <exception cref="NetworkCommandException">A system call failed; nothing is left behind.</exception>
    public static Task AddAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A thread of its own enters the new namespace and goes back before it finishes: a thread started by one in the
        // pod's namespace (a thread-pool worker, when completing the task queues its continuation) would be born in it.
        var thread = new Thread(() =>
        {
            var failure = InHostNamespaceAfterwards(() => Add(name));
            if (failure is null)
            {
                done.SetResult();
            }
            else
            {
                done.SetException(failure);
            }
        })
        {
            IsBackground = true,
            Name = "netns add",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/>, which may move the calling thread into another network namespace, and moves it back.</summary>
    /// <returns>What <paramref name="work"/> threw, if anything.</returns>
    private static Exception? InHostNamespaceAfterwards(Action work)
    {
        var host = Native.Open("/proc/thread-self/ns/net", Native.ORdonly | Native.OCloexec, 0);
        if (host < 0)
        {
            return Failure("open this thread's network namespace");
        }

        try
        {
            work();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            if (Native.Setns(host, Native.CloneNewnet) < 0)
            {
                // Whatever this thread did next would happen in a pod's network, unseen: better no agent than that.
                Environment.FailFast($"could not return a thread to the host network namespace: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            _ = Native.Close(host);
        }
    }

    /// <summary>Removes the namespace if it is there. Processes still inside keep it alive, unnamed, until they exit.</summary>
    /// <exception cref="NetworkCommandException">The name could not be removed.</exception>
    public static Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return Task.CompletedTask;
        }

        // As ip netns delete: a lazy unmount (a namespace still in use stays alive), then the name goes.
        try
        {
            ImageSyscalls.Unmount(path);
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NetworkCommandException($"removing network namespace {name}: {ex.Message}", ex);
        }

        return Task.CompletedTask;
    }

    private static void Add(string name)
    {
        MakeDirectoryShared();
        var path = PathOf(name);
        var fd = Native.Open(path, Native.OCreat | Native.OExcl | Native.OCloexec, 0);
        if (fd < 0)
        {
            throw Failure($"create {path}");
        }

        _ = Native.Close(fd);
        try
        {
            if (Native.Unshare(Native.CloneNewnet) < 0)
            {
                throw Failure($"unshare a network namespace for {name}");
            }

            if (Native.Mount("/proc/thread-self/ns/net", path, "none", Native.MsBind, IntPtr.Zero) < 0)
            {
                throw Failure($"bind the network namespace to {path}");
            }

            BringLoopbackUp();
        }
        catch
        {
            ImageSyscalls.Unmount(path);
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// As ip netns does before each add: the directory is a shared mount, so that a namespace unmounted in one
    /// mount namespace is unmounted in all (and freed sooner); the first time, it becomes a mount point of its own.
    /// </summary>
    private static void MakeDirectoryShared()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (Native.Mount("", Directory, "none", Native.MsShared | Native.MsRec, IntPtr.Zero) == 0)
        {
            return;
        }

        if (Marshal.GetLastPInvokeError() != Native.Einval)
        {
            throw Failure($"mount --make-shared {Directory}");
        }

        if (Native.Mount(Directory, Directory, "none", Native.MsBind | Native.MsRec, IntPtr.Zero) < 0 ||
            Native.Mount("", Directory, "none", Native.MsShared | Native.MsRec, IntPtr.Zero) < 0)
        {
            throw Failure($"make {Directory} a shared mount point");
        }
    }

    /// <summary>Sets IFF_UP on <c>lo</c> of the calling thread's network namespace, as the loopback plugin does.</summary>
    private static void BringLoopbackUp()
    {
        var socket = Native.Socket(Native.AfInet, Native.SockDgram | Native.SockCloexec, 0);
        if (socket < 0)
        {
            throw Failure("socket for lo");
        }

        try
        {
            var request = new Native.InterfaceRequest { Name = "lo" };
            if (Native.Ioctl(socket, Native.Siocgifflags, ref request) < 0)
            {
                throw Failure("read the flags of lo");
            }

            request.Flags |= Native.IffUp;
            if (Native.Ioctl(socket, Native.Siocsifflags, ref request) < 0)
            {
                throw Failure("bring lo up");
            }
        }
        finally
        {
            _ = Native.Close(socket);
        }
    }

    private static NetworkCommandException Failure(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new NetworkCommandException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}", new Win32Exception(errno));
    }

    private static class Native
    {
        public const int CloneNewnet = 0x40000000;
        public const ulong MsBind = 0x1000;
        public const ulong MsRec = 0x4000;
        public const ulong MsShared = 1 << 20;
        public const int ORdonly = 0;
        public const int OCreat = 0x40;
        public const int OExcl = 0x80;
        public const int OCloexec = 0x80000;
        public const int AfInet = 2;
        public const int SockDgram = 2;
        public const int SockCloexec = 0x80000;
        public const ulong Siocgifflags = 0x8913;
        public const ulong Siocsifflags = 0x8914;
        public const short IffUp = 0x1;
        public const int Einval = 22;

        /// <summary><c>struct ifreq</c> with its flags member: a 16-byte name, then a union of 24 bytes.</summary>
        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Ansi, Size = 40)]
        public struct InterfaceRequest
        {
            [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 16)]
            public string Name;

            public short Flags;
        }

        [DllImport("libc", EntryPoint = "unshare", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Unshare(int flags);

        [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Setns(int fd, int type);

        [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Mount(string source, string target, string type, ulong flags, IntPtr data);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(string path, int flags, uint mode);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);

        [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Socket(int domain, int type, int protocol);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Ioctl(int fd, ulong request, ref InterfaceRequest ifreq);
    }
}
