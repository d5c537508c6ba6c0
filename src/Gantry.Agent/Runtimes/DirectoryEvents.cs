using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Tells subscribers which files appear in the directories they watch (created, renamed into place, or closed after
/// writing), through one inotify instance for the whole process. This is how the shim, runc and the process init
/// announce progress, each by a file in the container's directory. <see cref="FileSystemWatcher"/> is not used
/// because each one opens an inotify instance of its own, and the kernel allows a user 128 of them
/// (fs.inotify.max_user_instances) across all its processes: an agent watching every running container's exit
/// would run out after a hundred pods.
/// </summary>
internal sealed class DirectoryEvents
{
    private const int CloseOnExec = 0x80000;
    private const uint CloseWrite = 0x8;
    private const uint MovedTo = 0x80;
    private const uint Create = 0x100;
    private const uint QueueOverflow = 0x4000;
    private const uint Ignored = 0x8000;
    private const uint OnlyDirectory = 0x01000000;
    private const int HeaderSize = 16;

    private static readonly Lazy<DirectoryEvents> Instance = new(() => new DirectoryEvents());

    private readonly int _fd;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, List<Subscription>> _byWatch = [];

    private DirectoryEvents()
    {
        _fd = InotifyInit(CloseOnExec);
        if (_fd < 0)
        {
            throw new IOException($"inotify_init1 failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        new Thread(ReadEvents) { IsBackground = true, Name = "Gantry directory events" }.Start();
    }

    /// <summary>The process's one instance.</summary>
    public static DirectoryEvents Shared => Instance.Value;

    /// <summary>
    /// Calls <paramref name="appeared"/> with a file's name whenever one appears in <paramref name="directory"/>, and
    /// with null when events may have been lost (the kernel's queue overflowed), until disposed. Callbacks run on the
    /// one thread that reads events, so they must return at once.
    /// </summary>
    /// <exception cref="IOException">The directory does not exist or cannot be watched (fs.inotify.max_user_watches).</exception>
    public IDisposable Subscribe(string directory, Action<string?> appeared)
    {
        ArgumentNullException.ThrowIfNull(appeared);
        lock (_gate)
        {
            var watch = InotifyAddWatch(_fd, directory, CloseWrite | MovedTo | Create | OnlyDirectory);
            if (watch < 0)
            {
                throw new IOException($"cannot watch {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            var subscription = new Subscription(this, watch, appeared);
            if (!_byWatch.TryGetValue(watch, out var subscribers))
            {
                subscribers = [];
                _byWatch[watch] = subscribers;
            }

            subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            if (_byWatch.TryGetValue(subscription.Watch, out var subscribers) && subscribers.Remove(subscription) && subscribers.Count == 0)
            {
                _byWatch.Remove(subscription.Watch);

                // Fails harmlessly when the directory is gone: the kernel dropped the watch with it.
                _ = InotifyRemoveWatch(_fd, subscription.Watch);
            }
        }
    }

    private void ReadEvents()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = Read(_fd, buffer, buffer.Length);
            if (length < 0)
            {
                if (Marshal.GetLastPInvokeError() == 4)
                {
                    continue;
                }

                throw new IOException($"reading inotify events failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            for (var offset = 0; offset + HeaderSize <= length;)
            {
                var watch = BitConverter.ToInt32(buffer, offset);
                var mask = BitConverter.ToUInt32(buffer, offset + 4);
                var nameLength = BitConverter.ToInt32(buffer, offset + 12);
                var name = Encoding.UTF8.GetString(buffer, offset + HeaderSize, nameLength).TrimEnd('\0');
                offset += HeaderSize + nameLength;
                Dispatch(watch, mask, name);
            }
        }
    }

    private void Dispatch(int watch, uint mask, string name)
    {
        Subscription[] subscribers;
        lock (_gate)
        {
            if ((mask & QueueOverflow) != 0)
            {
                subscribers = [.. _byWatch.Values.SelectMany(s => s)];
            }
            else if (_byWatch.TryGetValue(watch, out var list))
            {
                subscribers = [.. list];
                if ((mask & Ignored) != 0)
                {
                    // The directory is gone, and the kernel's watch with it.
                    _byWatch.Remove(watch);
                }
            }
            else
            {
                return;
            }
        }

        var appeared = (mask & (QueueOverflow | Ignored)) != 0 ? null : name;
        foreach (var subscriber in subscribers)
        {
            subscriber.Appeared(appeared);
        }
    }

    private sealed class Subscription(DirectoryEvents owner, int watch, Action<string?> appeared) : IDisposable
    {
        public int Watch => watch;

        public Action<string?> Appeared => appeared;

        public void Dispose() => owner.Unsubscribe(this);
    }

    [DllImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int InotifyInit(int flags);

    [DllImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int InotifyAddWatch(int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mask);

    [DllImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int InotifyRemoveWatch(int fd, int watch);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Read(int fd, byte[] buffer, nint count);
}
