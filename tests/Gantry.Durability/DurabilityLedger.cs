using System.Collections.Concurrent;

namespace Gantry.Durability;

/// <summary>
/// What the client was told about every write, and what the server must therefore hold after a crash.
/// Writers record attempts concurrently during a cycle; <see cref="VerifyAndSettle"/> runs alone after a
/// restart, checks the recovered state against the attempts, and then fixes what an ambiguous write
/// turned out to be, so that later cycles hold it to that.
/// </summary>
internal sealed class DurabilityLedger
{
    private readonly ConcurrentQueue<WriteAttempt> _attempts = new();
    private readonly ConcurrentQueue<string> _anomalies = new();

    // The state every object must be in after a restart unless this cycle wrote to it; null = must be absent.
    private readonly Dictionary<string, StoredObject?> _settled = new(StringComparer.Ordinal);
    private readonly Dictionary<long, WriteAttempt> _acknowledgedRevisions = [];
    private long _lastListRevision;
    private long _maxAcknowledged;

    /// <summary>How many writes without an answer turned out to have landed, at the last verification.</summary>
    public int UnacknowledgedLanded { get; private set; }

    public WriteAttempt Begin(WriteKind kind, string name, long precondition)
    {
        var attempt = new WriteAttempt(kind, name, Guid.NewGuid().ToString("N"), precondition);
        _attempts.Enqueue(attempt);
        return attempt;
    }

    /// <summary>Something the server did wrong while it was up (an unexpected status, a dropped connection).</summary>
    public void Anomaly(string message) => _anomalies.Enqueue(message);

    /// <summary>The settled resourceVersion of an object, where updaters start.</summary>
    public long RevisionOf(string name) =>
        _settled.TryGetValue(name, out var stored) && stored is not null
            ? stored.Revision
            : throw new InvalidOperationException($"{name} is not known to exist.");

    public CycleCounts Counts()
    {
        int Count(WriteKind kind, WriteOutcome outcome) => _attempts.Count(a => a.Kind == kind && a.Outcome == outcome);
        return new CycleCounts(
            Count(WriteKind.Create, WriteOutcome.Acknowledged),
            Count(WriteKind.Create, WriteOutcome.Unknown),
            Count(WriteKind.Update, WriteOutcome.Acknowledged),
            Count(WriteKind.Update, WriteOutcome.Rejected),
            Count(WriteKind.Update, WriteOutcome.Unknown));
    }

    /// <summary>
    /// Checks a snapshot taken after a restart against every acknowledged write and returns the
    /// violations (empty when the store kept its promises). Then starts a new cycle.
    /// </summary>
    public IReadOnlyList<string> VerifyAndSettle(Snapshot snapshot, Func<string, bool> isOurs)
    {
        var violations = new List<string>();
        violations.AddRange(_anomalies);
        _anomalies.Clear();

        var attemptsByName = _attempts.GroupBy(a => a.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        CheckRevisions(snapshot, violations);

        var names = new HashSet<string>(_settled.Keys, StringComparer.Ordinal);
        names.UnionWith(attemptsByName.Keys);
        names.UnionWith(snapshot.Objects.Keys.Where(isOurs));
        UnacknowledgedLanded = _attempts.Count(a => a.Outcome == WriteOutcome.Unknown
            && snapshot.Objects.TryGetValue(a.Name, out var stored) && stored.Nonce == a.Nonce);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            snapshot.Objects.TryGetValue(name, out var found);
            if (found is { ContentIntact: false })
            {
                violations.Add($"{name}: content is not what any single write sent (torn or mixed value), nonce {found.Nonce}.");
            }

            var attempts = attemptsByName.GetValueOrDefault(name) ?? [];
            var known = _settled.TryGetValue(name, out var settled);
            if (!known && attempts.Count == 0)
            {
                violations.Add($"{name}: present at rv {found!.Revision} but nobody ever wrote it.");
                continue;
            }

            var error = attempts.Count == 0 ? CheckUntouched(settled, found) : CheckWritten(settled, attempts, found);
            if (error is not null)
            {
                violations.Add($"{name}: {error}");
            }

            _settled[name] = found;
        }

        _lastListRevision = Math.Max(_lastListRevision, snapshot.ListRevision);
        _attempts.Clear();
        return violations;
    }

    private void CheckRevisions(Snapshot snapshot, List<string> violations)
    {
        var acknowledged = _attempts.Where(a => a.Outcome == WriteOutcome.Acknowledged).ToList();
        foreach (var attempt in acknowledged)
        {
            if (attempt.Revision <= _lastListRevision)
            {
                violations.Add($"{attempt.Name}: acknowledged at rv {attempt.Revision}, but the store was already at rv {_lastListRevision} before this cycle: a revision was reused.");
            }

            if (!_acknowledgedRevisions.TryAdd(attempt.Revision, attempt))
            {
                violations.Add($"rv {attempt.Revision} was acknowledged twice: {_acknowledgedRevisions[attempt.Revision]} and {attempt}.");
            }

            _maxAcknowledged = Math.Max(_maxAcknowledged, attempt.Revision);
        }

        if (snapshot.ListRevision < _lastListRevision)
        {
            violations.Add($"The list resourceVersion went backwards across the restart: {_lastListRevision} before, {snapshot.ListRevision} after.");
        }

        if (snapshot.ListRevision < _maxAcknowledged)
        {
            violations.Add($"The list resourceVersion after the restart ({snapshot.ListRevision}) is below the highest acknowledged write ({_maxAcknowledged}).");
        }
    }

    /// <summary>Nothing wrote the object this cycle: it must be exactly as it was settled.</summary>
    private static string? CheckUntouched(StoredObject? settled, StoredObject? found) => (settled, found) switch
    {
        (null, null) => null,
        (null, not null) => $"was absent after an earlier restart, now present at rv {found.Revision} (nonce {found.Nonce}) although nothing wrote it since.",
        (not null, null) => $"was present at rv {settled.Revision} (nonce {settled.Nonce}) and is now gone although nothing deleted it.",
        _ when settled!.Revision != found!.Revision || settled.Nonce != found.Nonce =>
            $"was at rv {settled.Revision} (nonce {settled.Nonce}), now at rv {found.Revision} (nonce {found.Nonce}) although nothing wrote it since.",
        _ => null,
    };

    /// <summary>
    /// The object was written this cycle. It must hold at least the last acknowledged write; it may
    /// hold a later write only if that write's answer never arrived and it was based on a state at or
    /// after the last acknowledged one (optimistic concurrency makes every landed update a successor).
    /// </summary>
    private static string? CheckWritten(StoredObject? settled, List<WriteAttempt> attempts, StoredObject? found)
    {
        var lastAcknowledged = attempts.Where(a => a.Outcome == WriteOutcome.Acknowledged).MaxBy(a => a.Revision);
        var floorRevision = lastAcknowledged?.Revision ?? settled?.Revision ?? 0;
        var floorNonce = lastAcknowledged?.Nonce ?? settled?.Nonce;
        if (found is null)
        {
            return floorNonce is null
                ? null
                : $"lost: the last acknowledged state was rv {floorRevision} (nonce {floorNonce}), the object is gone after the restart. Attempts: {Describe(attempts)}";
        }

        if (found.Revision < floorRevision)
        {
            return $"went back: acknowledged at rv {floorRevision} (nonce {floorNonce}), found rv {found.Revision} (nonce {found.Nonce}) after the restart. Attempts: {Describe(attempts)}";
        }

        if (found.Revision == floorRevision)
        {
            return found.Nonce == floorNonce
                ? null
                : $"rv {found.Revision} holds nonce {found.Nonce}, but the write acknowledged at that rv sent nonce {floorNonce}. Attempts: {Describe(attempts)}";
        }

        var landed = attempts.FirstOrDefault(a => a.Nonce == found.Nonce);
        return landed switch
        {
            null => $"found rv {found.Revision} with nonce {found.Nonce}, which no write this cycle sent (last acknowledged rv {floorRevision}). Attempts: {Describe(attempts)}",
            { Outcome: WriteOutcome.Acknowledged } => $"found rv {found.Revision} but the write with nonce {found.Nonce} was acknowledged at rv {landed.Revision}.",
            { Outcome: WriteOutcome.Rejected } => $"holds the content of a write that was refused ({landed}).",
            _ when landed.Precondition < floorRevision || landed.Precondition >= found.Revision =>
                $"holds unacknowledged write {landed} at rv {found.Revision}, which cannot follow the acknowledged rv {floorRevision}.",
            _ => null,
        };
    }

    private static string Describe(List<WriteAttempt> attempts) =>
        attempts.Count <= 6
            ? string.Join("; ", attempts)
            : $"{attempts.Count} attempts, last six: {string.Join("; ", attempts.TakeLast(6))}";
}
