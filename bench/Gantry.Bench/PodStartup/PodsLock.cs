using System.Runtime.InteropServices;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// The host-wide lock every cluster that runs pods takes (<c>flock /tmp/gantry-pods.lock</c>): pods
/// of all clusters share the gantry0 bridge and 10.88.0.0/24 while IPAM is per data directory, so
/// two clusters with pods at once can hand out the same address. Taken here rather than by an
/// outer <c>flock</c> so that the build before the bench does not hold it.
/// </summary>
internal sealed class PodsLock : IDisposable
{
    public const string DefaultPath = "/tmp/gantry-pods.lock";

    private const int OpenReadWrite = 2;
    private const int OpenCreate = 0x40;
    private const int OpenCloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);

    private readonly int _descriptor;

    private PodsLock(int descriptor) => _descriptor = descriptor;

    /// <summary>Waits (reporting progress) until the lock is ours.</summary>
    /// <returns>The lock and how long it took to get it.</returns>
    public static async Task<(PodsLock Lock, TimeSpan Waited)> AcquireAsync(string path, TimeSpan patience, CancellationToken cancellationToken)
    {
        // open(2) rather than File.OpenHandle: .NET takes a shared flock of its own on every file it
        // opens, which fails outright while another process holds the exclusive lock.
        var descriptor = Open(path, OpenReadWrite | OpenCreate | OpenCloseOnExec, Convert.ToInt32("666", 8));
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var nextReport = TimeSpan.Zero;
        while (Flock(descriptor, LockExclusive | LockNonBlocking) != 0)
        {
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (waited > patience)
            {
                _ = Close(descriptor);
                throw new TimeoutException($"{path} stayed locked for {patience.TotalSeconds:0} s: another cluster with pods is running.");
            }

            if (waited >= nextReport)
            {
                nextReport = waited + ReportEvery;
                BenchContext.Progress($"waiting for {path} (held by another cluster with pods; do not wrap this bench in flock, it takes the lock itself)");
            }

            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }

        return (new PodsLock(descriptor), System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _ = Close(_descriptor);

    // DllImport rather than LibraryImport: the generated stubs would need AllowUnsafeBlocks, and these marshal trivially.
    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
