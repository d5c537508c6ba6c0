using System.Globalization;
using Gantry.Server.Storage;
using Microsoft.Data.Sqlite;
using Xunit;
using static Gantry.Tests.Storage.StoreTestContext;

namespace Gantry.Tests.Storage;

public sealed class SqliteVersionedStoreCommitTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Create_of_a_missing_key_succeeds_with_the_next_revision()
    {
        await using var store = await _context.OpenAsync();

        var first = await store.CommitAsync(new Mutation("/a", Value("1"), 0), Ct);
        var second = await store.CommitAsync(new Mutation("/b", Value("2"), 0), Ct);

        Assert.Equal(new CommitResult(true, 1, null), first);
        Assert.Equal(new CommitResult(true, 2, null), second);
        Assert.Equal(2, store.Revision);
        var snapshot = await store.ReadRangeAsync("/", Ct);
        Assert.Equal(2, snapshot.Revision);
        Assert.Collection(
            snapshot.Items,
            a => Assert.Equal(("/a", "1", 1L, 1L), (a.Key, Text(a.Value), a.CreateRevision, a.ModRevision)),
            b => Assert.Equal(("/b", "2", 2L, 2L), (b.Key, Text(b.Value), b.CreateRevision, b.ModRevision)));
    }

    [Fact]
    public async Task Create_of_an_existing_key_fails_and_returns_the_current_value()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("old"), 0), Ct);

        var result = await store.CommitAsync(new Mutation("/a", Value("new"), 0), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Revision);
        Assert.Equal(("/a", "old", 1L, 1L), (result.Current!.Key, Text(result.Current.Value), result.Current.CreateRevision, result.Current.ModRevision));
    }

    [Fact]
    public async Task Update_with_the_current_mod_revision_succeeds_and_keeps_the_create_revision()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/other", Value("x"), 0), Ct);

        var result = await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);

        Assert.Equal(new CommitResult(true, 3, null), result);
        var item = Assert.Single((await store.ReadRangeAsync("/a", Ct)).Items);
        Assert.Equal(("v2", 1L, 3L), (Text(item.Value), item.CreateRevision, item.ModRevision));
    }

    [Fact]
    public async Task Update_with_a_stale_mod_revision_fails_and_returns_the_current_value()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);

        var result = await store.CommitAsync(new Mutation("/a", Value("v3"), 1), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Revision);
        Assert.Equal(("v2", 1L, 2L), (Text(result.Current!.Value), result.Current.CreateRevision, result.Current.ModRevision));
    }

    [Fact]
    public async Task Update_of_a_missing_key_fails_without_a_current_value()
    {
        await using var store = await _context.OpenAsync();

        var result = await store.CommitAsync(new Mutation("/a", Value("v"), 7), Ct);

        Assert.Equal(new CommitResult(false, 0, null), result);
    }

    [Fact]
    public async Task Unconditional_put_creates_a_missing_key_and_overwrites_an_existing_one()
    {
        await using var store = await _context.OpenAsync();

        var created = await store.CommitAsync(new Mutation("/a", Value("v1"), null), Ct);
        var overwritten = await store.CommitAsync(new Mutation("/a", Value("v2"), null), Ct);

        Assert.True(created.Succeeded);
        Assert.True(overwritten.Succeeded);
        var item = Assert.Single((await store.ReadRangeAsync("/a", Ct)).Items);
        Assert.Equal(("v2", 1L, 2L), (Text(item.Value), item.CreateRevision, item.ModRevision));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_takes_a_revision()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);

        var result = await store.CommitAsync(new Mutation("/a", null, 1), Ct);

        Assert.Equal(new CommitResult(true, 2, null), result);
        var snapshot = await store.ReadRangeAsync("/", Ct);
        Assert.Empty(snapshot.Items);
        Assert.Equal(2, snapshot.Revision);
    }

    [Fact]
    public async Task Delete_with_a_stale_mod_revision_fails_and_keeps_the_key()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v2"), null), Ct);

        var result = await store.CommitAsync(new Mutation("/a", null, 1), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("v2", Text(result.Current!.Value));
        Assert.Single((await store.ReadRangeAsync("/a", Ct)).Items);
    }

    [Fact]
    public async Task Delete_of_a_missing_key_fails_without_a_current_value()
    {
        await using var store = await _context.OpenAsync();

        var result = await store.CommitAsync(new Mutation("/a", null, null), Ct);

        Assert.Equal(new CommitResult(false, 0, null), result);
    }

    [Fact]
    public async Task Failed_mutations_do_not_take_a_revision()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
        await store.CommitAsync(new Mutation("/missing", null, null), Ct);

        var result = await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);

        Assert.Equal(2, result.Revision);
        Assert.Equal(2, store.Revision);
    }

    [Fact]
    public async Task Commit_with_a_cancelled_token_is_not_applied()
    {
        await using var store = await _context.OpenAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.CommitAsync(new Mutation("/a", Value("v"), 0), new CancellationToken(canceled: true)));

        Assert.Empty((await store.ReadRangeAsync("/", Ct)).Items);
        Assert.Equal(0, store.Revision);
    }

    [Fact]
    public async Task Concurrent_creates_are_all_acknowledged_with_distinct_revisions_and_survive_reopen()
    {
        const int count = 200;
        await using (var store = await _context.OpenAsync())
        {
            var results = await Task.WhenAll(Enumerable.Range(0, count).Select(
                i => store.CommitAsync(new Mutation($"/pods/{i:D3}", Value($"pod {i}"), 0), Ct)));

            Assert.All(results, r => Assert.True(r.Succeeded));
            Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), results.Select(r => r.Revision).Order());
        }

        await using var reopened = await _context.OpenAsync();
        var snapshot = await reopened.ReadRangeAsync("/pods/", Ct);
        Assert.Equal(count, reopened.Revision);
        Assert.Equal(count, snapshot.Items.Count);
        Assert.All(snapshot.Items, item => Assert.Equal($"pod {int.Parse(item.Key[6..], CultureInfo.InvariantCulture)}", Text(item.Value)));
    }

    [Fact]
    public async Task Concurrent_commits_share_transactions()
    {
        const int count = 200;
        await using var store = await _context.OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, count).Select(
            i => store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct)));

        Assert.InRange(store.CommittedBatches, 1, count - 1);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_key_let_exactly_one_win()
    {
        await using var store = await _context.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(
            i => store.CommitAsync(new Mutation("/a", Value($"{i}"), 0), Ct)));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(
            results.Where(r => !r.Succeeded),
            loser => Assert.Equal(winner.Revision, loser.Current!.ModRevision));
        Assert.Equal(1, store.Revision);
    }

    [Fact]
    public async Task Failed_transaction_rejects_its_mutations_and_restores_revision_and_index()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await InjectFailureForKeyAsync("/a");
        await InjectFailureForKeyAsync("/b");

        await Assert.ThrowsAsync<SqliteException>(() => store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct));
        await Assert.ThrowsAsync<SqliteException>(() => store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct));
        Assert.Equal(1, store.Revision);

        await RemoveInjectedFailuresAsync();
        var update = await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
        var create = await store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct);
        Assert.Equal(new CommitResult(true, 2, null), update);
        Assert.Equal(new CommitResult(true, 3, null), create);
    }

    [Fact]
    public async Task Dispose_fails_the_commits_it_does_not_complete_and_rejects_new_ones()
    {
        var store = await _context.OpenAsync();
        var commits = Enumerable.Range(0, 100)
            .Select(i => store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct))
            .ToList();

        await store.DisposeAsync();

        var acknowledged = 0;
        foreach (var commit in commits)
        {
            try
            {
                Assert.True((await commit).Succeeded);
                acknowledged++;
            }
            catch (ObjectDisposedException)
            {
            }
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitAsync(new Mutation("/late", Value("v"), 0), Ct));
        await using var reopened = await _context.OpenAsync();
        Assert.Equal(acknowledged, (await reopened.ReadRangeAsync("/k/", Ct)).Items.Count);
    }

    [Fact]
    public async Task A_second_open_of_the_same_file_is_refused()
    {
        await using var store = await _context.OpenAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _context.OpenAsync());
    }

    [Fact]
    public async Task Store_file_is_in_write_ahead_log_mode()
    {
        await using var store = await _context.OpenAsync();
        await using var connection = await OpenSideConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync(Ct));
    }

    private async Task InjectFailureForKeyAsync(string key)
    {
        await using var connection = await OpenSideConnectionAsync();
        await using var command = connection.CreateCommand();
        var hex = Convert.ToHexString(Value(key));
        command.CommandText = $"""
            CREATE TRIGGER fail_{hex} BEFORE INSERT ON events WHEN NEW.key = X'{hex}'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task RemoveInjectedFailuresAsync()
    {
        await using var connection = await OpenSideConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            DROP TRIGGER fail_{Convert.ToHexString(Value("/a"))};
            DROP TRIGGER fail_{Convert.ToHexString(Value("/b"))};
            """;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<SqliteConnection> OpenSideConnectionAsync()
    {
        var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }
}
