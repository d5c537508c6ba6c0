using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gantry.Server.Storage;

/// <summary>
/// The one connection that writes, with its statements prepared once. Not thread-safe: the store
/// uses it only while holding its write lock.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _selectValue;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _deleteEvents;
    private readonly SqliteCommand _deleteEvent;

    /// <param name="connection">An open connection to a store whose schema is in place; now owned by the writer.</param>
    public StoreWriter(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _selectValue = Prepare(
            "SELECT events.value FROM kv JOIN events ON events.rev = kv.mod_rev WHERE kv.key = $key",
            ("$key", SqliteType.Blob));
        _upsert = Prepare(
            """
            INSERT INTO kv (key, create_rev, mod_rev) VALUES ($key, $create, $mod)
            ON CONFLICT (key) DO UPDATE SET mod_rev = excluded.mod_rev
            """,
            ("$key", SqliteType.Blob),
            ("$create", SqliteType.Integer),
            ("$mod", SqliteType.Integer));
        _delete = Prepare("DELETE FROM kv WHERE key = $key", ("$key", SqliteType.Blob));
        _insertEvent = Prepare(
            """
            INSERT INTO events (rev, type, key, value, create_rev)
            VALUES ($rev, $type, $key, $value, $create)
            """,
            ("$rev", SqliteType.Integer),
            ("$type", SqliteType.Integer),
            ("$key", SqliteType.Blob),
            ("$value", SqliteType.Blob),
            ("$create", SqliteType.Integer));
        _setMeta = Prepare(
            "UPDATE meta SET value = $value WHERE name = $name",
            ("$value", SqliteType.Integer),
            ("$name", SqliteType.Text));
        _deleteEvents = Prepare(
            "DELETE FROM events WHERE rev > $after AND rev < $before",
            ("$after", SqliteType.Integer),
            ("$before", SqliteType.Integer));
        _deleteEvent = Prepare("DELETE FROM events WHERE rev = $rev", ("$rev", SqliteType.Integer));
    }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    /// <summary>Rolls back the open transaction, if SQLite has not already done so after an error.</summary>
    public void Rollback()
    {
        if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
        {
            _rollback.ExecuteNonQuery();
        }
    }

    /// <summary>The stored value of a key that the index says exists.</summary>
    public byte[] SelectValue(byte[] key) =>
        (byte[]?)Bind(_selectValue, key).ExecuteScalar()
        ?? throw new InvalidOperationException("The key index and the kv table disagree; reopen the store.");

    public void Put(byte[] key, byte[] value, long createRevision, long revision)
    {
        Bind(_insertEvent, revision, (long)StoreEventType.Put, key, value, createRevision).ExecuteNonQuery();
        Bind(_upsert, key, createRevision, revision).ExecuteNonQuery();
    }

    public void Delete(byte[] key, byte[] deletedValue, long createRevision, long revision)
    {
        Bind(_delete, key).ExecuteNonQuery();
        Bind(_insertEvent, revision, (long)StoreEventType.Delete, key, deletedValue, createRevision).ExecuteNonQuery();
    }

    /// <summary>
    /// Deletes one event: a live key's version at or below the compacted revision, which compaction kept because it
    /// held the key's value, once a newer version or a deletion replaces it.
    /// </summary>
    public void DeleteEvent(long revision) => Bind(_deleteEvent, revision).ExecuteNonQuery();

    public void SetMeta(string name, long value) => Bind(_setMeta, value, name).ExecuteNonQuery();

    /// <summary>
    /// Deletes history after <paramref name="from"/> up to <paramref name="revision"/> but the events that hold live
    /// values, and records the compacted revision, in one transaction.
    /// </summary>
    /// <param name="liveRevisions">The mod revisions of live keys in that range, ascending.</param>
    public void Compact(long from, long revision, IReadOnlyList<long> liveRevisions)
    {
        Begin();
        try
        {
            var after = from;
            foreach (var live in liveRevisions)
            {
                Bind(_deleteEvents, after, live).ExecuteNonQuery();
                after = live;
            }

            Bind(_deleteEvents, after, revision + 1).ExecuteNonQuery();
            SetMeta(StoreSchema.CompactedKey, revision);
            Commit();
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    public long ReadMeta(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()!;
    }

    public Dictionary<string, KeyRevisions> LoadIndex()
    {
        var index = new Dictionary<string, KeyRevisions>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT key, create_rev, mod_rev FROM kv";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = StoreKeys.Decode(reader.GetFieldValue<byte[]>(0));
            index[key] = new KeyRevisions(reader.GetInt64(1), reader.GetInt64(2));
        }

        return index;
    }

    public void Dispose()
    {
        foreach (var command in (ReadOnlySpan<SqliteCommand>)
            [_begin, _commit, _rollback, _selectValue, _upsert, _delete, _insertEvent, _setMeta, _deleteEvents, _deleteEvent])
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private static SqliteCommand Bind(SqliteCommand command, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    private SqliteCommand Prepare(string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
