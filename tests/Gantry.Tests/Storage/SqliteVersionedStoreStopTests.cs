using System.Text;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;
using static Gantry.Tests.Storage.StoreTestContext;

namespace Gantry.Tests.Storage;

/// <summary>
/// An error outside a batch's transaction stops the writer. Here the failed batch is what the writer logs, and the
/// logger throws.
/// </summary>
public sealed class SqliteVersionedStoreStopTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_stopped_writer_fails_the_write_in_hand_and_every_later_one_instead_of_leaving_them_waiting()
    {
        await using var store = await OpenStoppableAsync();

        await Assert.ThrowsAsync<StoreStoppedException>(() => store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct));
        var later = await Assert.ThrowsAsync<StoreStoppedException>(
            () => store.CommitAsync(new Mutation("/b", Value("v"), 0), Ct));

        Assert.Same(store.Failure, later);
    }

    [Fact]
    public async Task A_stopped_writer_ends_every_watch_with_its_failure()
    {
        await using var store = await OpenStoppableAsync();
        await using var watch = store.WatchAsync(1, Ct).GetAsyncEnumerator(Ct);
        var next = watch.MoveNextAsync().AsTask();

        await Assert.ThrowsAsync<StoreStoppedException>(() => store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct));

        await Assert.ThrowsAsync<StoreStoppedException>(() => next);
        await Assert.ThrowsAsync<StoreStoppedException>(
            async () => await store.WatchAsync(1, Ct).GetAsyncEnumerator(Ct).MoveNextAsync());
    }

    [Fact]
    public async Task A_store_reopened_after_a_stop_holds_every_acknowledged_write_and_accepts_new_ones()
    {
        await using (var store = await OpenStoppableAsync())
        {
            await Assert.ThrowsAsync<StoreStoppedException>(() => store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct));
        }

        await using var reopened = await _context.OpenAsync();
        var a = Assert.Single((await reopened.ReadRangeAsync("/a", Ct)).Items);
        Assert.Equal("v1", Text(a.Value));
        Assert.True((await reopened.CommitAsync(new Mutation("/b", Value("v"), 0), Ct)).Succeeded);
    }

    [Theory]
    [InlineData("livez")]
    [InlineData("readyz")]
    [InlineData("healthz")]
    public async Task Health_checks_fail_once_the_store_has_stopped(string endpoint)
    {
        await using var store = await OpenStoppableAsync();
        var health = new HealthEndpoint(store);
        Assert.Equal((200, "ok"), await AskAsync(health, endpoint));

        await Assert.ThrowsAsync<StoreStoppedException>(() => store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct));

        Assert.Equal(
            (500, $"[+]ping ok\n[-]store failed: reason withheld\n{endpoint} check failed\n"),
            await AskAsync(health, endpoint));
    }

    [Fact]
    public async Task Health_checks_list_each_check_when_asked_to_be_verbose()
    {
        await using var store = await _context.OpenAsync();

        Assert.Equal(
            (200, "[+]ping ok\n[+]store ok\nreadyz check passed\n"),
            await AskAsync(new HealthEndpoint(store), "readyz", "?verbose"));
    }

    /// <summary>A store holding /a at revision 1 whose next commit of /a fails, and whose logger fails on errors.</summary>
    private async Task<SqliteVersionedStore> OpenStoppableAsync()
    {
        var store = await SqliteVersionedStore.OpenAsync(_context.DatabasePath, new FailingLogger(LogLevel.Error), 1024, Ct);
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await using var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER fail_a BEFORE INSERT ON events WHEN NEW.key = X'{Convert.ToHexString(Value("/a"))}'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """;
        await command.ExecuteNonQueryAsync(Ct);
        return store;
    }

    private static async Task<(int Status, string Body)> AskAsync(HealthEndpoint health, string endpoint, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/" + endpoint;
        context.Request.QueryString = new QueryString(query);
        using var body = new MemoryStream();
        context.Response.Body = body;
        await health.HandleAsync(context, endpoint);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}
