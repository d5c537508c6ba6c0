using System.Globalization;
using Gantry.Server.Storage;
using Xunit;

namespace Gantry.Tests.Storage;

public sealed class WalCheckpointerTests : IDisposable
{
    // SQLite's default automatic checkpoint threshold (1,000 pages of 4 KiB), which copies the log in the commit that crosses it.
    private const int DefaultAutomaticThresholdBytes = 1000 * 4096;

    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    private string LogPath => _context.DatabasePath + "-wal";

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Commits_leave_the_log_to_the_checkpointer_past_the_default_automatic_threshold()
    {
        await using var store = await SqliteVersionedStore.OpenAsync(_context.DatabasePath, null, 1024, Ct, checkpointInterval: TimeSpan.FromHours(1));
        var databaseBefore = new FileInfo(_context.DatabasePath).Length;

        // Each 8 KiB value takes at least four pages: two in the keys' table and two in the history.
        await CommitAsync(store, 600);

        Assert.Equal(databaseBefore, new FileInfo(_context.DatabasePath).Length);
        Assert.True(new FileInfo(LogPath).Length > 2 * DefaultAutomaticThresholdBytes, $"the log is {new FileInfo(LogPath).Length} bytes");
    }

    [Fact]
    public async Task The_checkpointer_copies_committed_writes_into_the_database_file()
    {
        await using var store = await SqliteVersionedStore.OpenAsync(_context.DatabasePath, null, 1024, Ct, checkpointInterval: TimeSpan.FromMilliseconds(50));
        var databaseBefore = new FileInfo(_context.DatabasePath).Length;

        await CommitAsync(store, 20);

        while (new FileInfo(_context.DatabasePath).Length <= databaseBefore)
        {
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Writes_the_checkpointer_copied_are_read_back_after_a_reopen()
    {
        await using (var store = await SqliteVersionedStore.OpenAsync(_context.DatabasePath, null, 1024, Ct, checkpointInterval: TimeSpan.FromMilliseconds(50)))
        {
            await CommitAsync(store, 20);
            await Task.Delay(200, Ct);
            await store.CommitAsync(new Mutation("/last", StoreTestContext.Value("after the checkpoint"), 0), Ct);
        }

        await using var reopened = await _context.OpenAsync();
        var items = (await reopened.ReadRangeAsync("/", Ct)).Items;
        Assert.Contains(items, i => i.Key == "/last" && StoreTestContext.Text(i.Value) == "after the checkpoint");
        Assert.Contains(items, i => i.Key == "/k/0");
    }

    private async Task CommitAsync(SqliteVersionedStore store, int count)
    {
        var value = new byte[8192];
        for (var i = 0; i < count; i++)
        {
            var result = await store.CommitAsync(new Mutation(string.Create(CultureInfo.InvariantCulture, $"/k/{i}"), value, 0), Ct);
            Assert.True(result.Succeeded);
        }
    }
}
