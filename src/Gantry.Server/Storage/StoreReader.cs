using Microsoft.Data.Sqlite;

namespace Gantry.Server.Storage;

/// <summary>
/// Reads on pooled read-only connections, apart from the writer's, each in one transaction so that it
/// sees a single committed state of the write-ahead log.
/// </summary>
internal sealed class StoreReader(string connectionString) : IDisposable
{
    /// <summary>Live keys with their values, which are their events at their mod revisions.</summary>
    private const string SelectLive =
        "SELECT kv.key, kv.create_rev, kv.mod_rev, events.value FROM kv JOIN events ON events.rev = kv.mod_rev";

    public async Task<StoreSnapshot> ReadRangeAsync(byte[] prefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var revision = await ReadMetaAsync(transaction, StoreSchema.RevisionKey, cancellationToken);

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var upperBound = StoreKeys.PrefixUpperBound(prefix);
        if (upperBound is null)
        {
            command.CommandText = $"{SelectLive} ORDER BY kv.key";
        }
        else
        {
            command.CommandText = $"{SelectLive} WHERE kv.key >= $low AND kv.key < $high ORDER BY kv.key";
            command.Parameters.Add("$low", SqliteType.Blob).Value = prefix;
            command.Parameters.Add("$high", SqliteType.Blob).Value = upperBound;
        }

        var items = new List<StoredValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredValue(
                StoreKeys.Decode(reader.GetFieldValue<byte[]>(0)),
                reader.GetFieldValue<byte[]>(3),
                reader.GetInt64(1),
                reader.GetInt64(2)));
        }

        return new StoreSnapshot(items, revision);
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="afterRevision"/>, in revision order.</summary>
    /// <exception cref="RevisionCompactedException">Compaction removed events right after <paramref name="afterRevision"/>.</exception>
    public async Task<List<StoreEvent>> ReadEventsAsync(long afterRevision, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);

        // Read in the same snapshot as the events: a compaction between the two would otherwise leave
        // a silent gap instead of an error.
        var compacted = await ReadMetaAsync(transaction, StoreSchema.CompactedKey, cancellationToken);
        if (afterRevision < compacted)
        {
            throw new RevisionCompactedException(afterRevision, compacted);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT rev, type, key, value, create_rev FROM events
            WHERE rev > $after ORDER BY rev LIMIT $limit
            """;
        command.Parameters.Add("$after", SqliteType.Integer).Value = afterRevision;
        command.Parameters.Add("$limit", SqliteType.Integer).Value = limit;

        var events = new List<StoreEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoreEvent(
                (StoreEventType)reader.GetInt64(1),
                StoreKeys.Decode(reader.GetFieldValue<byte[]>(2)),
                reader.GetFieldValue<byte[]>(3),
                reader.GetInt64(4),
                reader.GetInt64(0)));
        }

        return events;
    }

    /// <summary>Closes idle pooled connections; ones still in use close when their read ends.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task<long> ReadMetaAsync(
        SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.Add("$name", SqliteType.Text).Value = name;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
