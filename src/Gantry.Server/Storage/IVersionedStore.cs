namespace Gantry.Server.Storage;

/// <summary>
/// A versioned key-value store with one global revision, as etcd offers: every committed
/// mutation gets the next revision, which becomes the object's resourceVersion.
/// Implementations acknowledge a mutation only once it is durable.
/// </summary>
public interface IVersionedStore : IAsyncDisposable
{
    /// <summary>The revision of the last committed mutation (0 for an empty store).</summary>
    long Revision { get; }

    /// <summary>Revisions at or below this one have been compacted away: no watch can start there.</summary>
    long CompactedRevision { get; }

    /// <summary>Why the store stopped accepting writes (a <see cref="StoreStoppedException"/>); null while it accepts them.</summary>
    StoreStoppedException? Failure { get; }

    /// <summary>Every live key with the given prefix, read at one consistent revision.</summary>
    Task<StoreSnapshot> ReadRangeAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Applies one conditional mutation. Concurrent calls are committed together (group commit).</summary>
    Task<CommitResult> CommitAsync(Mutation mutation, CancellationToken cancellationToken);

    /// <summary>
    /// Every mutation committed after <paramref name="afterRevision"/>, in revision order, then live ones until
    /// cancelled. Throws <see cref="RevisionCompactedException"/> when that history is gone.
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken);

    /// <summary>Forgets history at or below <paramref name="revision"/>; live values are kept.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken);
}

/// <summary>A live key and its value.</summary>
public sealed record StoredValue(string Key, byte[] Value, long CreateRevision, long ModRevision);

/// <summary>The live keys under a prefix as of <paramref name="Revision"/>.</summary>
public sealed record StoreSnapshot(IReadOnlyList<StoredValue> Items, long Revision);

/// <summary>
/// A compare-and-swap on one key. <see cref="ExpectedModRevision"/>: 0 means the key must not exist
/// (create), a positive value means the key's current mod revision must equal it, null means any.
/// A null <see cref="Value"/> deletes the key (which must exist).
/// </summary>
public sealed record Mutation(string Key, byte[]? Value, long? ExpectedModRevision);

/// <summary>
/// The outcome of a <see cref="Mutation"/>. On success <see cref="Revision"/> is the new revision.
/// On failure <see cref="Current"/> is the key's value at the time of the check (null if absent).
/// </summary>
public sealed record CommitResult(bool Succeeded, long Revision, StoredValue? Current);

public enum StoreEventType
{
    Put,
    Delete,
}

/// <summary>
/// One committed mutation. For <see cref="StoreEventType.Delete"/>, <see cref="Value"/> is the value
/// that was deleted.
/// </summary>
public sealed record StoreEvent(
    StoreEventType Type,
    string Key,
    byte[] Value,
    long CreateRevision,
    long Revision);

/// <summary>Thrown when a watch or read asks for history that compaction removed (HTTP 410 Gone).</summary>
public sealed class RevisionCompactedException(long requested, long compacted)
    : Exception($"required revision {requested} has been compacted (compacted revision {compacted})")
{
    public long Requested { get; } = requested;

    public long Compacted { get; } = compacted;
}
