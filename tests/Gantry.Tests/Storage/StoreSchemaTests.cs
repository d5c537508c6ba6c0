using Gantry.Server.Storage;
using Microsoft.Data.Sqlite;
using Xunit;
using static Gantry.Tests.Storage.StoreTestContext;

namespace Gantry.Tests.Storage;

public sealed class StoreSchemaTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_store_of_schema_version_1_opens_with_its_objects_and_history_and_takes_writes()
    {
        await WriteVersion1StoreAsync(_context.DatabasePath);

        await using (var store = await _context.OpenAsync())
        {
            var snapshot = await store.ReadRangeAsync("/", Ct);
            Assert.Equal(("/a", "v2"), (snapshot.Items.Single().Key, Text(snapshot.Items.Single().Value)));
            Assert.Equal(2, snapshot.Revision);

            await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
            var history = new List<StoreEvent>();
            while (history.Count < 2 && await events.MoveNextAsync())
            {
                history.Add(events.Current);
            }

            Assert.Equal([("v1", 1L), ("v2", 2L)], history.Select(e => (Text(e.Value), e.Revision)));
            Assert.True((await store.CommitAsync(new Mutation("/a", Value("v3"), 2), Ct)).Succeeded);
        }

        await using var reopened = await _context.OpenAsync();
        Assert.Equal("v3", Text((await reopened.ReadRangeAsync("/", Ct)).Items.Single().Value));
    }

    [Fact]
    public async Task A_store_of_schema_version_2_keeps_the_live_values_its_compaction_left_only_in_kv()
    {
        await WriteVersion2StoreAsync(_context.DatabasePath);

        await using (var store = await _context.OpenAsync())
        {
            Assert.Equal(["/a=v2", "/b=w"], (await store.ReadRangeAsync("/", Ct)).Items.Select(i => $"{i.Key}={Text(i.Value)}"));
            var history = await TakeAsync(store.WatchAsync(2, Ct).GetAsyncEnumerator(Ct), 1);
            Assert.Equal([("/b", "w", 3L)], history.Select(e => (e.Key, Text(e.Value), e.Revision)));
            Assert.True((await store.CommitAsync(new Mutation("/a", Value("v3"), 2), Ct)).Succeeded);
        }

        await using var reopened = await _context.OpenAsync();
        Assert.Equal(["/a=v3", "/b=w"], (await reopened.ReadRangeAsync("/", Ct)).Items.Select(i => $"{i.Key}={Text(i.Value)}"));
    }

    /// <summary>A store as version 2 wrote it: /a put twice and compacted at 2, so that its value is in kv alone; /b put after.</summary>
    private static Task WriteVersion2StoreAsync(string path) => WriteStoreAsync(path, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO meta (name, value) VALUES ('revision', 3), ('compacted', 2);
            CREATE TABLE kv (key BLOB PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, value BLOB NOT NULL);
            CREATE TABLE events (rev INTEGER PRIMARY KEY, type INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, create_rev INTEGER NOT NULL);
            INSERT INTO kv VALUES (CAST('/a' AS BLOB), 1, 2, CAST('v2' AS BLOB));
            INSERT INTO kv VALUES (CAST('/b' AS BLOB), 3, 3, CAST('w' AS BLOB));
            INSERT INTO events VALUES (3, 0, CAST('/b' AS BLOB), CAST('w' AS BLOB), 3);
            PRAGMA user_version = 2;
            """);

    /// <summary>A store as version 1 wrote it: one key put twice, each event with the value before it.</summary>
    private static Task WriteVersion1StoreAsync(string path) => WriteStoreAsync(path, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO meta (name, value) VALUES ('revision', 2), ('compacted', 0);
            CREATE TABLE kv (key BLOB PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, value BLOB NOT NULL);
            CREATE TABLE events (rev INTEGER PRIMARY KEY, type INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                prev_value BLOB, create_rev INTEGER NOT NULL);
            INSERT INTO kv VALUES (CAST('/a' AS BLOB), 1, 2, CAST('v2' AS BLOB));
            INSERT INTO events VALUES (1, 0, CAST('/a' AS BLOB), CAST('v1' AS BLOB), NULL, 1);
            INSERT INTO events VALUES (2, 0, CAST('/a' AS BLOB), CAST('v2' AS BLOB), CAST('v1' AS BLOB), 1);
            PRAGMA user_version = 1;
            """);

    /// <summary>Writes a store file as an older Gantry left it, with the script that older schema's writes add up to.</summary>
    private static async Task WriteStoreAsync(string path, string script)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = script;
        await command.ExecuteNonQueryAsync();
    }
}
