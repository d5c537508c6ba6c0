using Gantry.Server.Storage;
using Microsoft.Data.Sqlite;
using Xunit;
using static Gantry.Tests.Storage.StoreTestContext;

namespace Gantry.Tests.Storage;

public sealed class SqliteVersionedStoreReadTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Range_returns_exactly_the_keys_under_the_prefix_in_byte_order()
    {
        await using var store = await _context.OpenAsync();
        string[] keys = ["/pods/b", "/pods/a", "/pods0", "/pod", "/podsx", "/pods/\U0001F600", "/pods/\uFFFF", "/pods"];
        foreach (var key in keys)
        {
            await store.CommitAsync(new Mutation(key, Value(key), 0), Ct);
        }

        var snapshot = await store.ReadRangeAsync("/pods/", Ct);

        // U+1F600 encodes as F0..., above U+FFFF's EF BF BF: a "prefix + \uFFFF" bound would miss it.
        Assert.Equal(["/pods/a", "/pods/b", "/pods/\uFFFF", "/pods/\U0001F600"], snapshot.Items.Select(i => i.Key));
        Assert.All(snapshot.Items, i => Assert.Equal(i.Key, Text(i.Value)));
    }

    [Fact]
    public async Task Range_with_an_empty_prefix_returns_every_live_key()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/c", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/b", null, null), Ct);

        var snapshot = await store.ReadRangeAsync("", Ct);

        Assert.Equal(["/a", "/c"], snapshot.Items.Select(i => i.Key));
        Assert.Equal(4, snapshot.Revision);
    }

    [Fact]
    public async Task Revision_never_goes_backwards_across_reopen_even_with_everything_deleted_and_compacted()
    {
        await using (var store = await _context.OpenAsync())
        {
            await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
            await store.CommitAsync(new Mutation("/a", null, null), Ct);
            await store.CompactAsync(2, Ct);
        }

        await using var reopened = await _context.OpenAsync();
        var next = await reopened.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);

        Assert.Equal((2L, 2L), (reopened.Revision - 1, reopened.CompactedRevision));
        Assert.Equal(3, next.Revision);
    }

    [Fact]
    public async Task Reopened_store_checks_mod_revisions_written_before_it_closed()
    {
        await using (var store = await _context.OpenAsync())
        {
            await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
            await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
        }

        await using var reopened = await _context.OpenAsync();
        var stale = await reopened.CommitAsync(new Mutation("/a", Value("v3"), 1), Ct);
        var current = await reopened.CommitAsync(new Mutation("/a", Value("v3"), 2), Ct);

        Assert.False(stale.Succeeded);
        Assert.Equal(new CommitResult(true, 3, null), current);
        var item = Assert.Single((await reopened.ReadRangeAsync("/a", Ct)).Items);
        Assert.Equal((1L, 3L), (item.CreateRevision, item.ModRevision));
    }

    [Fact]
    public async Task Compaction_keeps_live_values_and_is_remembered_across_reopen()
    {
        await using (var store = await _context.OpenAsync())
        {
            await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
            await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
            await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);
            await store.CompactAsync(3, Ct);
            Assert.Equal(3, store.CompactedRevision);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(3, reopened.CompactedRevision);
        Assert.Equal(["/a=v2", "/b=v"], (await reopened.ReadRangeAsync("/", Ct)).Items.Select(i => $"{i.Key}={Text(i.Value)}"));
        await Assert.ThrowsAsync<RevisionCompactedException>(
            () => TakeAsync(reopened.WatchAsync(1, Ct).GetAsyncEnumerator(Ct), 1));
    }

    [Fact]
    public async Task Compaction_keeps_each_live_value_once_and_a_write_that_replaces_it_takes_it_away()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
        await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/c", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/c", null, null), Ct);
        await store.CompactAsync(5, Ct);
        var compacted = StoredRevisions();

        await store.CommitAsync(new Mutation("/a", Value("v3"), 2), Ct);
        await store.CommitAsync(new Mutation("/b", null, null), Ct);

        Assert.Equal([2L, 3L], compacted);
        Assert.Equal([6L, 7L], StoredRevisions());
        Assert.Equal(["/a=v3"], (await store.ReadRangeAsync("/", Ct)).Items.Select(i => $"{i.Key}={Text(i.Value)}"));
    }

    [Fact]
    public async Task Compacting_below_the_compacted_revision_changes_nothing()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);
        await store.CompactAsync(2, Ct);

        await store.CompactAsync(1, Ct);

        Assert.Equal(2, store.CompactedRevision);
    }

    [Fact]
    public async Task Compacting_beyond_the_current_revision_is_refused()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.CompactAsync(2, Ct));
        Assert.Equal(0, store.CompactedRevision);
    }

    /// <summary>The revisions the store's history holds, read from its file.</summary>
    private List<long> StoredRevisions()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _context.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rev FROM events ORDER BY rev";
        using var reader = command.ExecuteReader();
        var revisions = new List<long>();
        while (reader.Read())
        {
            revisions.Add(reader.GetInt64(0));
        }

        return revisions;
    }
}
