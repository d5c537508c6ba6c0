using Gantry.Server.Storage;
using Xunit;
using static Gantry.Tests.Storage.WatchCacheTestContext;

namespace Gantry.Tests.Storage;

public sealed class WatchCacheWatchTests : IAsyncLifetime
{
    private WatchCacheTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Watch_without_a_revision_sends_existing_objects_as_ADDED_then_live_events()
    {
        var a = await _context.PutAsync("a");
        var b = await _context.PutAsync("b");
        var events = _context.Watch(All, fromRevision: null);

        var c = await _context.PutAsync("c");
        var a2 = await _context.PutAsync("a", ("changed", "yes"));

        Assert.Equal(
            [(WatchEventType.Added, "a", a), (WatchEventType.Added, "b", b), (WatchEventType.Added, "c", c), (WatchEventType.Modified, "a", a2)],
            (await _context.TakeAsync(events, 4)).Select(Summary));
    }

    [Fact]
    public async Task Watch_from_a_revision_replays_only_the_later_events()
    {
        await _context.PutAsync("a");
        var from = await _context.PutAsync("b");
        var c = await _context.PutAsync("c");
        var b2 = await _context.PutAsync("b", ("changed", "yes"));

        var events = _context.Watch(All, fromRevision: from);
        var d = await _context.PutAsync("d");

        Assert.Equal(
            [(WatchEventType.Added, "c", c), (WatchEventType.Modified, "b", b2), (WatchEventType.Added, "d", d)],
            (await _context.TakeAsync(events, 3)).Select(Summary));
    }

    [Fact]
    public async Task Watch_from_the_current_revision_sends_only_live_events()
    {
        await _context.PutAsync("a");
        var events = _context.Watch(All, fromRevision: _context.Cache.Revision);

        var b = await _context.PutAsync("b");

        Assert.Equal((WatchEventType.Added, "b", b), Summary(await _context.NextAsync(events)));
    }

    [Fact]
    public async Task A_deleted_object_arrives_as_DELETED_at_the_revision_of_the_delete()
    {
        await _context.PutAsync("a", ("app", "web"));
        var events = _context.Watch(All, fromRevision: _context.Cache.Revision);

        var deletedAt = await _context.DeleteAsync("a");

        var e = await _context.NextAsync(events);
        Assert.Equal((WatchEventType.Deleted, "a", deletedAt), Summary(e));
        Assert.Equal(Rv(deletedAt), ResourceVersion(e.Object!));
        Assert.Equal("web", e.Object!.Labels["app"]);
    }

    [Fact]
    public async Task Watch_with_a_filter_reports_an_object_that_stops_matching_as_DELETED()
    {
        await _context.PutAsync("a", ("app", "web"));
        var events = _context.Watch(Labelled("app", "web"), fromRevision: null);
        Assert.Equal(WatchEventType.Added, (await _context.NextAsync(events)).Type);

        var relabelled = await _context.PutAsync("a", ("app", "db"));

        var e = await _context.NextAsync(events);
        Assert.Equal((WatchEventType.Deleted, "a", relabelled), Summary(e));
        Assert.Equal(Rv(relabelled), ResourceVersion(e.Object!));
    }

    [Fact]
    public async Task Watch_with_a_filter_reports_an_object_that_starts_matching_as_ADDED()
    {
        await _context.PutAsync("a", ("app", "db"));
        var events = _context.Watch(Labelled("app", "web"), fromRevision: _context.Cache.Revision);

        var relabelled = await _context.PutAsync("a", ("app", "web"));

        Assert.Equal((WatchEventType.Added, "a", relabelled), Summary(await _context.NextAsync(events)));
    }

    [Fact]
    public async Task Watch_with_a_filter_is_not_told_about_objects_that_never_match()
    {
        var events = _context.Watch(Labelled("app", "web"), fromRevision: _context.Cache.Revision);

        await _context.PutAsync("db", ("app", "db"));
        await _context.DeleteAsync("db");
        var web = await _context.PutAsync("web", ("app", "web"));

        Assert.Equal((WatchEventType.Added, "web", web), Summary(await _context.NextAsync(events)));
    }

    [Fact]
    public async Task Watch_of_one_type_is_not_told_about_another_type()
    {
        var events = _context.Watch(All, fromRevision: _context.Cache.Revision);

        var secrets = Gantry.Core.Resources.ResourceCatalog.Get("", "secrets");
        await _context.Store.CommitAsync(new Mutation(secrets.Key("default", "s"), "{\"metadata\":{\"name\":\"s\"}}"u8.ToArray(), 0), _context.Ct);
        var a = await _context.PutAsync("a");

        Assert.Equal((WatchEventType.Added, "a", a), Summary(await _context.NextAsync(events)));
    }

    [Fact]
    public async Task Watch_from_a_revision_before_a_restarted_cache_loaded_its_snapshot_is_compacted()
    {
        var early = await _context.PutAsync("a");
        await _context.PutAsync("b");
        await _context.PutAsync("c");

        await _context.RestartAsync();

        var error = Assert.Throws<RevisionCompactedException>(() => _context.Watch(All, fromRevision: early));
        Assert.Equal(early, error.Requested);
        Assert.Equal(_context.Store.Revision, error.Compacted);
    }

    [Fact]
    public async Task Watch_from_the_snapshot_revision_of_a_restarted_cache_is_allowed()
    {
        await _context.PutAsync("a");
        await _context.RestartAsync();
        var events = _context.Watch(All, fromRevision: _context.Cache.Revision);

        var b = await _context.PutAsync("b");

        Assert.Equal((WatchEventType.Added, "b", b), Summary(await _context.NextAsync(events)));
    }

    [Fact]
    public async Task Initial_events_are_closed_by_a_bookmark_when_asked()
    {
        await _context.PutAsync("a");
        var last = await _context.PutAsync("b");

        var events = _context.Watch(All, fromRevision: null, bookmarks: true, initialEventsEnd: true);

        var taken = await _context.TakeAsync(events, 3);
        Assert.Equal(["a", "b"], taken.Take(2).Select(e => Name(e.Object!)));
        Assert.Equal(WatchEventType.Bookmark, taken[2].Type);
        Assert.True(taken[2].InitialEventsEnd);
        Assert.Equal(last, taken[2].Revision);
        Assert.Null(taken[2].Object);
    }

    [Fact]
    public async Task Initial_events_are_not_closed_by_a_bookmark_unless_asked()
    {
        var a = await _context.PutAsync("a");
        var events = _context.Watch(All, fromRevision: null, bookmarks: true);

        var b = await _context.PutAsync("b");

        Assert.Equal(
            [(WatchEventType.Added, "a", a), (WatchEventType.Added, "b", b)],
            (await _context.TakeAsync(events, 2)).Select(Summary));
    }

    [Fact]
    public async Task Bookmarks_reach_only_watchers_that_asked_for_them()
    {
        var revision = await _context.PutAsync("a");
        var with = _context.Watch(All, fromRevision: revision, bookmarks: true);
        var without = _context.Watch(All, fromRevision: revision, bookmarks: false);

        _context.Cache.SendBookmarks();
        var b = await _context.PutAsync("b");

        Assert.Equal((WatchEventType.Bookmark, null, revision), Summary(await _context.NextAsync(with)));
        Assert.Equal((WatchEventType.Added, "b", b), Summary(await _context.NextAsync(without)));
    }

    [Fact]
    public async Task Cancelling_a_watch_ends_its_stream()
    {
        using var cancel = new CancellationTokenSource();
        var events = _context.Cache.Watch(Bucket, All, _context.Cache.Revision, false, false, cancel.Token);

        await cancel.CancelAsync();

        await events.Completion.WaitAsync(_context.Ct);
    }

    [Fact]
    public async Task Disposing_the_cache_ends_every_watch()
    {
        var cache = new WatchCache(_context.Store, [Bucket], Gantry.Server.Registry.ObjectIndex.Build, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await cache.StartAsync(_context.Ct);
        var events = cache.Watch(Bucket, All, null, false, false, _context.Ct);

        await cache.DisposeAsync();

        await events.Completion.WaitAsync(_context.Ct);
    }
}
