using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Server.Storage;

/// <summary>
/// The embedded <see cref="IVersionedStore"/>: one SQLite file in write-ahead-log mode with
/// <c>synchronous=FULL</c>, so a mutation is on disk before it is acknowledged.
/// </summary>
/// <remarks>
/// <para>
/// Writes go through a single writer loop that practises group commit: it takes every queued mutation
/// (up to <see cref="MaxBatchSize"/>), checks and applies them in one transaction and commits once, so
/// concurrent callers share one fsync. Compare-and-swap checks run against an in-memory index of each
/// key's create and mod revisions. A mutation whose check fails gets its own failed result without
/// affecting the rest of its batch; if the transaction itself fails, every mutation in the batch fails
/// with that error and the index and revision are restored.
/// </para>
/// <para>
/// Ordering guarantee: after a batch commits, its events are handed to every watcher's buffer, in
/// revision order, before any caller of that batch is acknowledged. A cache fed by <see cref="WatchAsync"/>
/// therefore already holds (at least buffered) the event for revision R when the writer of R gets its
/// answer, so waiting for the cache to reach R never waits on storage.
/// </para>
/// <para>
/// The store takes ownership of <see cref="Mutation.Value"/> arrays, and the arrays it returns are
/// shared with other readers and watchers: neither side may modify them.
/// </para>
/// <para>
/// A file can be open in one store at a time: a lock file next to it keeps a second server (or a
/// second store in this process) from writing behind the in-memory index.
/// </para>
/// </remarks>
public sealed class SqliteVersionedStore : IVersionedStore
{
    /// <summary>The most mutations committed in one transaction.</summary>
    internal const int MaxBatchSize = 512;

    private const int DefaultWatchBufferCapacity = 16_384;
    private const int ReplayPageSize = 512;

    // Compaction deletes history in chunks so that commits queued behind it wait for one chunk only.
    private const int CompactionChunkSize = 10_000;

    private readonly StoreReader _reader;
    private readonly WalCheckpointer _checkpointer;
    private readonly FileStream _lockFile;
    private readonly ILogger _logger;
    private readonly int _watchBufferCapacity;

    // The writer connection, the index, the working revision and the batch scratch lists belong to
    // whoever holds _writeLock: the writer loop for one batch, or a compaction for one chunk.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StoreWriter _writer;
    private readonly Dictionary<string, KeyRevisions> _index;
    private readonly List<StoreEvent> _batchEvents = [];
    private readonly List<CommitResult> _batchResults = [];
    private readonly List<(string Key, KeyRevisions? Previous)> _batchUndo = [];
    private long _revision;

    private readonly Channel<PendingMutation> _queue =
        Channel.CreateUnbounded<PendingMutation>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _watchersLock = new();
    private readonly List<WatchSubscription> _watchers = [];

    private readonly Task _writerLoop;
    private long _committedRevision;
    private long _compactedRevision;
    private long _committedBatches;
    private int _disposed;
    private StoreStoppedException? _failure;

    private SqliteVersionedStore(
        StoreWriter writer,
        StoreReader reader,
        WalCheckpointer checkpointer,
        FileStream lockFile,
        ILogger logger,
        int watchBufferCapacity,
        Dictionary<string, KeyRevisions> index,
        long revision,
        long compactedRevision)
    {
        _writer = writer;
        _reader = reader;
        _checkpointer = checkpointer;
        _lockFile = lockFile;
        _logger = logger;
        _watchBufferCapacity = watchBufferCapacity;
        _index = index;
        _revision = revision;
        _committedRevision = revision;
        _compactedRevision = compactedRevision;
        _writerLoop = Task.Run(RunWriterLoopAsync);
    }

    /// <inheritdoc />
    public long Revision => Volatile.Read(ref _committedRevision);

    /// <inheritdoc />
    public long CompactedRevision => Volatile.Read(ref _compactedRevision);

    /// <inheritdoc />
    /// <remarks>
    /// Only an error outside a batch's transaction stops the writer (one inside fails that batch's mutations and the
    /// writer goes on): the index, the revision and what watchers were handed can then no longer be trusted to match
    /// the file, so every queued and later write fails with this instead of waiting for a writer that is gone.
    /// </remarks>
    public StoreStoppedException? Failure => Volatile.Read(ref _failure);

    /// <summary>How many transactions have committed mutations since the store was opened.</summary>
    internal long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file (and its directory) when missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another store already has the file open.</exception>
    public static Task<SqliteVersionedStore> OpenAsync(
        string path, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, logger, DefaultWatchBufferCapacity, cancellationToken);

    /// <param name="watchBufferCapacity">Live events a watcher may have unread before it falls back to history.</param>
    /// <param name="checkpointInterval">How often the log is copied into the database file; <see cref="WalCheckpointer.Interval"/> unless a test says otherwise.</param>
    internal static async Task<SqliteVersionedStore> OpenAsync(
        string path, ILogger? logger, int watchBufferCapacity, CancellationToken cancellationToken, TimeSpan? checkpointInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(watchBufferCapacity, 1);
        logger ??= NullLogger.Instance;

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var lockFile = LockDataFile(fullPath);
        StoreWriter? writer = null;
        WalCheckpointer? checkpointer = null;
        try
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            try
            {
                await connection.OpenAsync(cancellationToken);
                await StoreSchema.ApplyAsync(connection, cancellationToken);
                writer = new StoreWriter(connection);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            var index = writer.LoadIndex();
            var revision = writer.ReadMeta(StoreSchema.RevisionKey);
            var compacted = writer.ReadMeta(StoreSchema.CompactedKey);
            checkpointer = await WalCheckpointer.StartAsync(fullPath, logger, cancellationToken, checkpointInterval);
            var reader = new StoreReader(new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = true,
            }.ToString());

            StoreLog.Opened(logger, fullPath, revision, index.Count, compacted);
            return new SqliteVersionedStore(
                writer, reader, checkpointer, lockFile, logger, watchBufferCapacity, index, revision, compacted);
        }
        catch
        {
            if (checkpointer is not null)
            {
                await checkpointer.DisposeAsync();
            }

            writer?.Dispose();
            await lockFile.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<StoreSnapshot> ReadRangeAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _reader.ReadRangeAsync(StoreKeys.Encode(prefix), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cancelling withdraws the mutation only while it is still queued (the task is then cancelled and
    /// nothing was written); once the writer has taken it, the task reports its real outcome.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed before the mutation was applied.</exception>
    public Task<CommitResult> CommitAsync(Mutation mutation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        ArgumentException.ThrowIfNullOrEmpty(mutation.Key, nameof(mutation));
        if (mutation.ExpectedModRevision < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(mutation), mutation.ExpectedModRevision, "The expected mod revision cannot be negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingMutation(mutation, StoreKeys.Encode(mutation.Key), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Abandon(Failure ?? (Exception)new ObjectDisposedException(nameof(SqliteVersionedStore)));
        }

        return pending.Outcome;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A watcher that leaves more than its buffer of live events unread is cut off from the live feed and
    /// catches up from history, so it sees every revision unless compaction overtakes it, in which case it
    /// ends with <see cref="RevisionCompactedException"/> and must start again from a fresh read.
    /// Disposing the store ends every watch with <see cref="ObjectDisposedException"/>, a stopped writer with
    /// <see cref="StoreStoppedException"/>.
    /// </remarks>
    public async IAsyncEnumerable<StoreEvent> WatchAsync(
        long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        var compacted = CompactedRevision;
        if (afterRevision < compacted)
        {
            throw new RevisionCompactedException(afterRevision, compacted);
        }

        var last = afterRevision;
        while (true)
        {
            // Subscribing before reading history closes the race between the two: whatever commits after
            // the history read is published after the subscription, and the overlap is skipped by revision.
            var subscription = Subscribe();
            try
            {
                List<StoreEvent> page;
                do
                {
                    page = await _reader.ReadEventsAsync(last, ReplayPageSize, cancellationToken);
                    foreach (var storeEvent in page)
                    {
                        yield return storeEvent;
                        last = storeEvent.Revision;
                    }
                }
                while (page.Count == ReplayPageSize);

                await foreach (var storeEvent in subscription.Reader.ReadAllAsync(cancellationToken))
                {
                    if (storeEvent.Revision > last)
                    {
                        yield return storeEvent;
                        last = storeEvent.Revision;
                    }
                }
            }
            finally
            {
                Unsubscribe(subscription);
            }

            // Disposal and a stop end the feed with an error, so a feed that ends cleanly was cut off for lagging.
            StoreLog.WatcherResumesFromHistory(_logger, last);
        }
    }

    /// <inheritdoc />
    /// <remarks>Compacting at or below <see cref="CompactedRevision"/> does nothing.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is beyond <see cref="Revision"/>.</exception>
    public async Task CompactAsync(long revision, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        while (true)
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                if (revision > _revision)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(revision), revision, $"Cannot compact beyond the current revision {_revision}.");
                }

                if (revision <= _compactedRevision)
                {
                    return;
                }

                var upTo = Math.Min(revision, _compactedRevision + CompactionChunkSize);
                _writer.Compact(_compactedRevision, upTo, LiveRevisions(_compactedRevision, upTo));
                Volatile.Write(ref _compactedRevision, upTo);
                if (upTo == revision)
                {
                    StoreLog.Compacted(_logger, revision);
                    return;
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    /// <summary>
    /// Stops the writer: a batch already committing finishes, queued mutations fail with
    /// <see cref="ObjectDisposedException"/>, watches end with the same, and the file is closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        // A writer that stopped has already failed what it held, and said why.
        await _writerLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        await _writeLock.WaitAsync();
        try
        {
            lock (_watchersLock)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.Close(new ObjectDisposedException(nameof(SqliteVersionedStore)));
                }

                _watchers.Clear();
            }

            // Readers go first so that the writer's close, as the last connection, checkpoints the log.
            await _checkpointer.DisposeAsync();
            _reader.Dispose();
            _writer.Dispose();
            await _lockFile.DisposeAsync();
        }
        finally
        {
            // Compactions waiting for the lock get in and find the store disposed.
            _writeLock.Release();
        }
    }

    /// <summary>Registers a live feed; internal so tests can observe what a watcher has been handed.</summary>
    internal WatchSubscription Subscribe()
    {
        var subscription = new WatchSubscription(_watchBufferCapacity);
        lock (_watchersLock)
        {
            // Checked under the lock that disposal and a stop close feeds under, so no feed is left open forever.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (Failure is { } failure)
            {
                throw failure;
            }

            _watchers.Add(subscription);
        }

        return subscription;
    }

    private static FileStream LockDataFile(string fullPath)
    {
        var lockPath = fullPath + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The store {fullPath} is already open (lock file {lockPath}); stop the other Gantry server " +
                "using this data directory, or give this one its own.",
                ex);
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_watchersLock)
        {
            _watchers.Remove(subscription);
        }
    }

    private async Task RunWriterLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingMutation>(MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                while (reader.TryRead(out var abandoned))
                {
                    abandoned.Abandon(new ObjectDisposedException(nameof(SqliteVersionedStore)));
                }

                continue;
            }

            await _writeLock.WaitAsync();
            try
            {
                // Drained only now, so that mutations arriving while a compaction chunk ran join this batch.
                while (batch.Count < MaxBatchSize && reader.TryRead(out var pending))
                {
                    if (pending.TryTake())
                    {
                        batch.Add(pending);
                    }
                }

                if (batch.Count > 0)
                {
                    CommitBatch(batch);
                }
            }
            catch (Exception ex)
            {
                Stop(ex, batch);
                return;
            }
            finally
            {
                _writeLock.Release();
                batch.Clear();
            }
        }
    }

    /// <summary>
    /// Fails the batch in hand (those of its mutations not yet answered), everything queued, every later write and every
    /// watch with one <see cref="StoreStoppedException"/>.
    /// </summary>
    private void Stop(Exception cause, List<PendingMutation> batch)
    {
        var failure = new StoreStoppedException(cause);
        Volatile.Write(ref _failure, failure);
        _queue.Writer.TryComplete();
        foreach (var pending in batch)
        {
            pending.FailUnanswered(failure);
        }

        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Abandon(failure);
        }

        lock (_watchersLock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Close(failure);
            }

            _watchers.Clear();
        }

        // Last, since the logger may be what failed.
        StoreLog.WriterStopped(_logger, cause);
    }

    private void CommitBatch(List<PendingMutation> batch)
    {
        var startRevision = _revision;
        try
        {
            try
            {
                _writer.Begin();
                foreach (var pending in batch)
                {
                    _batchResults.Add(Apply(pending));
                }

                if (_revision != startRevision)
                {
                    _writer.SetMeta(StoreSchema.RevisionKey, _revision);
                }

                _writer.Commit();
            }
            catch (Exception ex)
            {
                RollBack(startRevision);
                StoreLog.BatchFailed(_logger, ex, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Fail(ex);
                }

                return;
            }

            Volatile.Write(ref _committedRevision, _revision);
            Interlocked.Increment(ref _committedBatches);
            Publish(_batchEvents);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(_batchResults[i]);
            }
        }
        finally
        {
            _batchEvents.Clear();
            _batchResults.Clear();
            _batchUndo.Clear();
        }
    }

    private CommitResult Apply(PendingMutation pending)
    {
        var (key, value, expectedModRevision) = pending.Mutation;
        var exists = _index.TryGetValue(key, out var current);
        var matches = expectedModRevision switch
        {
            null => true,
            0 => !exists,
            var expected => exists && current.ModRevision == expected,
        };

        if (!matches || (value is null && !exists))
        {
            // Read on the writer's connection: it sees this batch's earlier, uncommitted mutations,
            // which the index has already counted.
            var currentValue = exists
                ? new StoredValue(key, _writer.SelectValue(pending.Key), current.CreateRevision, current.ModRevision)
                : null;
            return new CommitResult(false, _revision, currentValue);
        }

        var revision = _revision + 1;
        if (value is null)
        {
            var deleted = _writer.SelectValue(pending.Key);
            _writer.Delete(pending.Key, deleted, current.CreateRevision, revision);
            DropCompactedVersion(current);
            _batchUndo.Add((key, current));
            _index.Remove(key);
            _batchEvents.Add(new StoreEvent(StoreEventType.Delete, key, deleted, current.CreateRevision, revision));
        }
        else
        {
            var createRevision = exists ? current.CreateRevision : revision;
            _writer.Put(pending.Key, value, createRevision, revision);
            if (exists)
            {
                DropCompactedVersion(current);
            }

            _batchUndo.Add((key, exists ? current : null));
            _index[key] = new KeyRevisions(createRevision, revision);
            _batchEvents.Add(new StoreEvent(StoreEventType.Put, key, value, createRevision, revision));
        }

        _revision = revision;
        return new CommitResult(true, revision, null);
    }

    /// <summary>
    /// A replaced version that compaction kept only because it held the live value is history nobody can read any
    /// more (watches start above the compacted revision): it goes with the write that replaced it.
    /// </summary>
    private void DropCompactedVersion(KeyRevisions replaced)
    {
        if (replaced.ModRevision <= _compactedRevision)
        {
            _writer.DeleteEvent(replaced.ModRevision);
        }
    }

    /// <summary>The mod revisions of live keys after <paramref name="from"/> up to <paramref name="revision"/>, ascending.</summary>
    private List<long> LiveRevisions(long from, long revision)
    {
        var live = new List<long>();
        foreach (var revisions in _index.Values)
        {
            if (revisions.ModRevision > from && revisions.ModRevision <= revision)
            {
                live.Add(revisions.ModRevision);
            }
        }

        live.Sort();
        return live;
    }

    private void RollBack(long startRevision)
    {
        try
        {
            _writer.Rollback();
        }
        catch (SqliteException ex)
        {
            // Nothing more can be done here; the next batch will report whatever state the connection is in.
            StoreLog.RollbackFailed(_logger, ex);
        }

        for (var i = _batchUndo.Count - 1; i >= 0; i--)
        {
            var (key, previous) = _batchUndo[i];
            if (previous is { } revisions)
            {
                _index[key] = revisions;
            }
            else
            {
                _index.Remove(key);
            }
        }

        _revision = startRevision;
    }

    private void Publish(List<StoreEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        lock (_watchersLock)
        {
            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                if (!_watchers[i].TryDeliver(events))
                {
                    _watchers.RemoveAt(i);
                }
            }
        }
    }
}
