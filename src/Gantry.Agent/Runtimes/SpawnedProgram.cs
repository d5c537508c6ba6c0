using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Runs short-lived programs with <c>posix_spawn</c>, one at a time on a thread of their own that waits for each:
/// standard input and output on /dev/null, standard error kept for the error message, every signal at its default and
/// none blocked, and the agent's environment. For the shim's launcher, which forks the shim and exits within a
/// millisecond: under load, <see cref="System.Diagnostics.Process"/> took 1.4–2.3 ms after such a child's start to
/// report its exit (the runtime's SIGCHLD thread, then a continuation), where a blocking <c>waitpid</c> returns as it
/// exits. The thread is the spawner's own so that the wait never holds a thread of the pool.
/// </summary>
internal static class SpawnedProgram
{
    private static readonly Lazy<BlockingCollection<Job>> Jobs = new(StartSpawner);

    private const int CloseOnExec = 0x80000;
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;
    private const int Interrupted = 4;

    // Upper bounds of glibc's opaque types on x86-64 and arm64 (80, 336 and 128 bytes), with room to spare.
    private const int FileActionsSize = 256;
    private const int AttributesSize = 1024;
    private const int SignalSetSize = 256;

    private const int ErrorLimit = 64 * 1024;

    /// <returns>The exit code (128+N for signal N), and what the program wrote to standard error when it failed.</returns>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static Task<(int ExitCode, string Error)> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var job = new Job(program, arguments, new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously));
        Jobs.Value.Add(job);
        return job.Done.Task;
    }

    private static BlockingCollection<Job> StartSpawner()
    {
        var jobs = new BlockingCollection<Job>();
        var spawner = new Thread(() =>
        {
            foreach (var job in jobs.GetConsumingEnumerable())
            {
                try
                {
                    job.Done.SetResult(Run(job.Program, job.Arguments));
                }
                catch (IOException e)
                {
                    job.Done.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "gantry-spawner",
        };
        spawner.Start();
        return jobs;
    }

    private static (int ExitCode, string Error) Run(string program, IReadOnlyList<string> arguments)
    {
        var strings = new List<IntPtr>();
        var fileActions = Marshal.AllocHGlobal(FileActionsSize);
        var attributes = Marshal.AllocHGlobal(AttributesSize);
        var signals = Marshal.AllocHGlobal(SignalSetSize);
        var pipe = new int[2];
        try
        {
            var argv = NullTerminated([program, .. arguments], strings);
            var envp = NullTerminated(Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}"), strings);
            if (Pipe2(pipe, CloseOnExec) != 0)
            {
                throw new IOException($"could not start {program}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            Check(program, FileActionsInit(fileActions));
            Check(program, AttributesInit(attributes));
            try
            {
                Check(program, AddOpen(fileActions, 0, "/dev/null", ReadOnly, 0));
                Check(program, AddOpen(fileActions, 1, "/dev/null", WriteOnly, 0));
                Check(program, AddDup2(fileActions, pipe[1], 2));
                _ = SignalFill(signals);
                Check(program, SetSignalDefault(attributes, signals));
                _ = SignalEmpty(signals);
                Check(program, SetMask(attributes, signals));
                Check(program, SetFlags(attributes, SetSignalDefaults | SetSignalMask));
                Check(program, Spawn(out var pid, program, fileActions, attributes, argv, envp));
                _ = Close(pipe[1]);
                pipe[1] = -1;
                var exitCode = WaitFor(pid);
                return (exitCode, exitCode == 0 ? "" : ReadAll(pipe[0]));
            }
            finally
            {
                _ = FileActionsDestroy(fileActions);
                _ = AttributesDestroy(attributes);
            }
        }
        finally
        {
            foreach (var descriptor in pipe.Where(d => d > 0))
            {
                _ = Close(descriptor);
            }

            strings.ForEach(Marshal.FreeCoTaskMem);
            Marshal.FreeHGlobal(fileActions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
        }
    }

    private sealed record Job(string Program, IReadOnlyList<string> Arguments, TaskCompletionSource<(int, string)> Done);

    private static IntPtr[] NullTerminated(IEnumerable<string> values, List<IntPtr> owned)
    {
        var pointers = values.Select(Marshal.StringToCoTaskMemUTF8).ToList();
        owned.AddRange(pointers);
        return [.. pointers, IntPtr.Zero];
    }

    /// <summary>posix_spawn and its helpers return the error number rather than setting errno.</summary>
    private static void Check(string program, int error)
    {
        if (error != 0)
        {
            throw new IOException($"could not start {program}: {new Win32Exception(error).Message}");
        }
    }

    private static int WaitFor(int pid)
    {
        while (true)
        {
            if (WaitPid(pid, out var status, 0) == pid)
            {
                var signal = status & 0x7f;
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
            }

            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                throw new IOException($"waiting for process {pid} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }

    private static string ReadAll(int descriptor)
    {
        var buffer = new byte[ErrorLimit];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = Read(descriptor, buffer, length, buffer.Length - length);
            if (read > 0)
            {
                length += (int)read;
            }
            else if (read == 0 || Marshal.GetLastPInvokeError() != Interrupted)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static long Read(int descriptor, byte[] buffer, int offset, int count)
    {
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            return ReadNative(descriptor, handle.AddrOfPinnedObject() + offset, (nuint)count);
        }
        finally
        {
            handle.Free();
        }
    }

    [DllImport("libc", EntryPoint = "posix_spawn", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Spawn(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FileActionsInit(IntPtr fileActions);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FileActionsDestroy(IntPtr fileActions);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int AddOpen(IntPtr fileActions, int descriptor, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int AddDup2(IntPtr fileActions, int descriptor, int target);

    [DllImport("libc", EntryPoint = "posix_spawnattr_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int AttributesInit(IntPtr attributes);

    [DllImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int AttributesDestroy(IntPtr attributes);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetFlags(IntPtr attributes, short flags);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetSignalDefault(IntPtr attributes, IntPtr signals);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetMask(IntPtr attributes, IntPtr signals);

    [DllImport("libc", EntryPoint = "sigfillset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SignalFill(IntPtr signals);

    [DllImport("libc", EntryPoint = "sigemptyset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SignalEmpty(IntPtr signals);

    [DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Pipe2(int[] descriptors, int flags);

    [DllImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int WaitPid(int pid, out int status, int options);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint ReadNative(int descriptor, IntPtr buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}
