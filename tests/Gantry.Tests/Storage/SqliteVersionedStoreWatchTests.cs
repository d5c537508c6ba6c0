using Gantry.Server.Storage;
using Xunit;
using static Gantry.Tests.Storage.StoreTestContext;

namespace Gantry.Tests.Storage;

public sealed class SqliteVersionedStoreWatchTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    private CancellationToken Ct => _context.Deadline;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Watch_replays_history_after_the_revision_then_continues_with_live_events()
    {
        await using var store = await _context.OpenAsync();
        for (var i = 1; i <= 5; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value($"{i}"), 0), Ct);
        }

        await using var events = store.WatchAsync(2, Ct).GetAsyncEnumerator(Ct);
        var replayed = await TakeAsync(events, 3);
        for (var i = 6; i <= 8; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value($"{i}"), 0), Ct);
        }

        var live = await TakeAsync(events, 3);

        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L], replayed.Concat(live).Select(e => e.Revision));
        Assert.Equal(["/k/3", "/k/4", "/k/5", "/k/6", "/k/7", "/k/8"], replayed.Concat(live).Select(e => e.Key));
    }

    [Fact]
    public async Task Watch_started_while_commits_race_sees_every_revision_exactly_once()
    {
        const int count = 400;
        await using var store = await _context.OpenAsync();
        var writers = Enumerable.Range(0, count)
            .Select(i => Task.Run(() => store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct), Ct))
            .ToList();

        await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var seen = await TakeAsync(events, count);
        await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), seen.Select(e => e.Revision));
    }

    [Fact]
    public async Task Put_events_carry_the_new_value_and_delete_events_the_deleted_one()
    {
        await using var store = await _context.OpenAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
        await store.CommitAsync(new Mutation("/a", null, 2), Ct);

        await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var history = await TakeAsync(events, 3);

        Assert.Equal(
            [
                (StoreEventType.Put, "v1", 1L, 1L),
                (StoreEventType.Put, "v2", 1L, 2L),
                (StoreEventType.Delete, "v2", 1L, 3L),
            ],
            history.Select(e => (e.Type, Text(e.Value), e.CreateRevision, e.Revision)));
    }

    [Fact]
    public async Task Live_events_match_replayed_ones()
    {
        await using var store = await _context.OpenAsync();
        await using var live = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var pendingFirst = live.MoveNextAsync();
        await store.CommitAsync(new Mutation("/a", Value("v1"), 0), Ct);
        await store.CommitAsync(new Mutation("/a", Value("v2"), 1), Ct);
        await store.CommitAsync(new Mutation("/a", null, 2), Ct);
        Assert.True(await pendingFirst);
        var liveEvents = new List<StoreEvent> { live.Current };
        liveEvents.AddRange(await TakeAsync(live, 2));

        await using var replay = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var replayed = await TakeAsync(replay, 3);

        Assert.Equal(Describe(replayed), Describe(liveEvents));
    }

    [Fact]
    public async Task Events_are_handed_to_watchers_before_the_commit_is_acknowledged()
    {
        await using var store = await _context.OpenAsync();
        var subscription = store.Subscribe();

        var result = await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);

        Assert.True(subscription.Reader.TryRead(out var handed));
        Assert.Equal(result.Revision, handed.Revision);
    }

    [Fact]
    public async Task Watch_from_below_the_compacted_revision_throws_RevisionCompactedException()
    {
        await using var store = await _context.OpenAsync();
        for (var i = 1; i <= 5; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct);
        }

        await store.CompactAsync(3, Ct);

        var error = await Assert.ThrowsAsync<RevisionCompactedException>(
            () => TakeAsync(store.WatchAsync(2, Ct).GetAsyncEnumerator(Ct), 1));
        Assert.Equal((2L, 3L), (error.Requested, error.Compacted));
    }

    [Fact]
    public async Task Watch_from_the_compacted_revision_replays_what_remains()
    {
        await using var store = await _context.OpenAsync();
        for (var i = 1; i <= 5; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct);
        }

        await store.CompactAsync(3, Ct);
        await using var events = store.WatchAsync(3, Ct).GetAsyncEnumerator(Ct);

        Assert.Equal([4L, 5L], (await TakeAsync(events, 2)).Select(e => e.Revision));
    }

    [Fact]
    public async Task Watcher_that_overflows_its_buffer_catches_up_from_history_without_gaps()
    {
        await using var store = await _context.OpenAsync(watchBufferCapacity: 2);
        await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var pendingFirst = events.MoveNextAsync();
        await store.CommitAsync(new Mutation("/k/0", Value("v"), 0), Ct);
        Assert.True(await pendingFirst);

        for (var i = 1; i < 20; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct);
        }

        var rest = await TakeAsync(events, 19);
        Assert.Equal(Enumerable.Range(2, 19).Select(i => (long)i), rest.Select(e => e.Revision));
    }

    [Fact]
    public async Task Watcher_overtaken_by_compaction_while_behind_ends_with_RevisionCompactedException()
    {
        await using var store = await _context.OpenAsync(watchBufferCapacity: 1);
        await store.CommitAsync(new Mutation("/k/0", Value("v"), 0), Ct);
        await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        Assert.Single(await TakeAsync(events, 1));
        for (var i = 1; i <= 10; i++)
        {
            await store.CommitAsync(new Mutation($"/k/{i}", Value("v"), 0), Ct);
        }

        await store.CompactAsync(11, Ct);

        Assert.Equal(2, Assert.Single(await TakeAsync(events, 1)).Revision);
        await Assert.ThrowsAsync<RevisionCompactedException>(() => TakeAsync(events, 1));
    }

    [Fact]
    public async Task Dispose_ends_watches_with_ObjectDisposedException()
    {
        var store = await _context.OpenAsync();
        await using var events = store.WatchAsync(0, Ct).GetAsyncEnumerator(Ct);
        var next = events.MoveNextAsync();
        await store.CommitAsync(new Mutation("/a", Value("v"), 0), Ct);
        Assert.True(await next);

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => TakeAsync(events, 1));
    }

    private static IEnumerable<string> Describe(IEnumerable<StoreEvent> events) =>
        events.Select(e => $"{e.Type} {e.Key} {Text(e.Value)} {e.CreateRevision} {e.Revision}");
}
