namespace Gantry.Agent.Images;

/// <summary>
/// Serializes changes to the image store across processes: the agent and a `gantry image` command
/// may change the same store at once. Holding it means holding an exclusive flock(2) on the store's
/// lock file (what .NET takes for FileShare.None), so the kernel drops it if the holder dies.
/// Within one process a semaphore queues waiters first, so they do not spin on the file.
/// </summary>
internal sealed class StoreLock(string path) : IDisposable
{
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int WouldBlock = 11;

    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _local = new(1, 1);

    public void Dispose() => _local.Dispose();

    /// <summary>Waits for the lock; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _local.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (TryOpen() is { } file)
                {
                    return new Held(file, _local);
                }

                await Task.Delay(Retry, cancellationToken);
            }
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    /// <summary>The lock if no other holder has it right now, else null.</summary>
    public IDisposable? TryAcquire()
    {
        if (!_local.Wait(0))
        {
            return null;
        }

        if (TryOpen() is { } file)
        {
            return new Held(file, _local);
        }

        _local.Release();
        return null;
    }

    private FileStream? TryOpen()
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex.HResult is SharingViolation or WouldBlock)
        {
            return null;
        }
    }

    private sealed class Held(FileStream file, SemaphoreSlim local) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                file.Dispose();
                local.Release();
            }
        }
    }
}
