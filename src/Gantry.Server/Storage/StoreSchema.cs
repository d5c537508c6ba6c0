using Microsoft.Data.Sqlite;

namespace Gantry.Server.Storage;

/// <summary>The on-disk layout of <see cref="SqliteVersionedStore"/>.</summary>
internal static class StoreSchema
{
    public const string RevisionKey = "revision";
    public const string CompactedKey = "compacted";

    private const int Version = 3;

    // Keys are BLOBs of UTF-8 so that SQLite compares them with memcmp: prefix ranges are then exact
    // byte ranges, whatever characters follow the prefix. Revisions in events are contiguous from
    // the compacted revision + 1 up to the current one, because only successful mutations take one.
    // A value is stored once, in its event, as etcd keeps values only in its revisions: kv is the index of
    // live keys, and a key's value is the event at its mod_rev. Compaction keeps those events, so at or
    // below the compacted revision events holds each live key's current version and nothing else.
    private const string CreateTables = """
        CREATE TABLE meta (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO meta (name, value) VALUES ('revision', 0), ('compacted', 0);
        CREATE TABLE kv (
            key        BLOB PRIMARY KEY,
            create_rev INTEGER NOT NULL,
            mod_rev    INTEGER NOT NULL
        );
        CREATE TABLE events (
            rev        INTEGER PRIMARY KEY,
            type       INTEGER NOT NULL,
            key        BLOB NOT NULL,
            value      BLOB NOT NULL,
            create_rev INTEGER NOT NULL
        );
        """;

    // Version 1 kept each put's previous value beside it in its event, which nothing read back.
    private const string FromVersion1 = "ALTER TABLE events DROP COLUMN prev_value;";

    // Version 2 kept each live value in kv too, and compaction took every event at or below its revision: the live
    // values whose events it took go back into events at their mod revisions before kv drops its copies.
    private const string FromVersion2 = """
        INSERT INTO events (rev, type, key, value, create_rev)
            SELECT kv.mod_rev, 0, kv.key, kv.value, kv.create_rev FROM kv
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.rev = kv.mod_rev);
        ALTER TABLE kv DROP COLUMN value;
        """;

    /// <summary>Sets the writer connection's durability, and creates the tables of a new store or brings an older one up to date.</summary>
    public static async Task ApplyAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        await using (var command = writer.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"SQLite refused write-ahead logging for {writer.DataSource} (journal mode '{mode}'); " +
                    "put the data directory on a local file system.");
            }

            // FULL fsyncs the log on every commit: an acknowledged revision survives power loss.
            command.CommandText = "PRAGMA synchronous = FULL";
            await command.ExecuteNonQueryAsync(cancellationToken);

            // WalCheckpointer copies the log into the database beside the writer. A commit does it only when the log
            // passes 64 MiB: under a storm of writes a passive checkpoint never catches up with the log's end, so the
            // log could not start over, and this bounds it.
            command.CommandText = "PRAGMA wal_autocheckpoint = 16384";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = writer.BeginTransaction();
        await using (var command = writer.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version";
            var version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (version == Version)
            {
                return;
            }

            command.CommandText = version switch
            {
                0 => CreateTables,
                1 => FromVersion1 + FromVersion2,
                2 => FromVersion2,
                _ => throw new InvalidOperationException(
                    $"The store {writer.DataSource} has schema version {version}, which this Gantry does not " +
                    $"understand (it expects {Version}); run the Gantry release that wrote it."),
            } + $"PRAGMA user_version = {Version};";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
