using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);

    private readonly SafeFileHandle _handle;

    private PodsLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Waits (reporting progress) until the lock is ours.</summary>
    /// <returns>The lock and how long it took to get it.</returns>
    public static async Task<(PodsLock Lock, TimeSpan Waited)> AcquireAsync(string path, TimeSpan patience, CancellationToken cancellationToken)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var nextReport = TimeSpan.Zero;
        while (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) != 0)
        {
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (waited > patience)
            {
                handle.Dispose();
                throw new TimeoutException($"{path} stayed locked for {patience.TotalSeconds:0} s: another cluster with pods is running.");
            }

            if (waited >= nextReport)
            {
                nextReport = waited + ReportEvery;
                BenchContext.Progress($"waiting for {path} (held by another cluster with pods; do not wrap this bench in flock, it takes the lock itself)");
            }

            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }

        return (new PodsLock(handle), System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _handle.Dispose();

    // DllImport rather than LibraryImport: the generated stub would need AllowUnsafeBlocks, and two ints marshal trivially.
    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Flock(int fd, int operation);
}
