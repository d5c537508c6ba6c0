using System.Threading.Channels;

namespace Gantry.Server.Informers;

/// <summary>
/// The controllers' work queue, with client-go's guarantees: a key queued many times before it is
/// processed is processed once; a key is never processed by two workers at once (a key queued while
/// in progress is processed again afterwards); failures are retried with per-key exponential back-off.
/// </summary>
public sealed class WorkQueue<TKey> where TKey : notnull
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public WorkQueue(TimeProvider time) => _time = time;

    /// <summary>Keys waiting, not counting those being processed.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _dirty.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (!_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }
        }

        _ready.Writer.TryWrite(key);
    }

    /// <summary>Queues the key once <paramref name="delay"/> has passed (e.g. a deadline to check).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(_ => { Add(key); timer?.Dispose(); }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Queues the key again after its back-off, which doubles with each consecutive failure.</summary>
    public void Retry(TKey key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << Math.Min(failures - 1, 20)));
        AddAfter(key, delay);
    }

    /// <summary>Clears the key's back-off after it was processed successfully.</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>
    /// A controller's loop: waits until <paramref name="informers"/> hold what existed at start (so no
    /// key is reconciled against a partial view), then works the queue as <see cref="RunAsync"/> does.
    /// </summary>
    public async Task RunWhenSyncedAsync(
        SharedInformers informers, int workers, Func<TKey, CancellationToken, Task> process, Action<TKey, Exception> onError, CancellationToken cancellationToken)
    {
        try
        {
            await informers.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await RunAsync(workers, process, onError, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="process"/> on queued keys with <paramref name="workers"/> concurrent
    /// workers until cancelled. A key whose processing throws is retried with back-off.
    /// </summary>
    public Task RunAsync(int workers, Func<TKey, CancellationToken, Task> process, Action<TKey, Exception> onError, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(process, onError, cancellationToken)));

    private async Task WorkAsync(Func<TKey, CancellationToken, Task> process, Action<TKey, Exception> onError, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var key in _ready.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                }

                try
                {
                    await process(key, cancellationToken).ConfigureAwait(false);
                    Forget(key);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    onError(key, ex);
                    Retry(key);
                }
                finally
                {
                    bool again;
                    lock (_gate)
                    {
                        _processing.Remove(key);
                        again = _dirty.Contains(key);
                    }

                    if (again)
                    {
                        _ready.Writer.TryWrite(key);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
