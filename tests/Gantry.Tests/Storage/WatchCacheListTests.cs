using Gantry.Server.Storage;
using Xunit;
using static Gantry.Tests.Storage.WatchCacheTestContext;

namespace Gantry.Tests.Storage;

public sealed class WatchCacheListTests : IAsyncLifetime
{
    private WatchCacheTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task List_with_a_label_predicate_returns_only_the_matching_objects_in_key_order()
    {
        await _context.PutAsync("c", ("app", "web"));
        await _context.PutAsync("a", ("app", "web"));
        await _context.PutAsync("b", ("app", "db"));

        var (items, _, more) = _context.Cache.List(Bucket, Labelled("app", "web"));

        Assert.Equal(["a", "c"], items.Select(Name));
        Assert.False(more);
    }

    [Fact]
    public async Task The_last_change_of_a_bucket_moves_with_its_writes_and_deletes_only()
    {
        var put = await _context.PutAsync("a");
        var secrets = Gantry.Core.Resources.ResourceCatalog.Get("", "secrets").KeyPrefix;
        var secretsBefore = _context.Cache.LastChange(secrets);

        Assert.Equal(put, _context.Cache.LastChange(Bucket));
        Assert.Equal(await _context.DeleteAsync("a"), _context.Cache.LastChange(Bucket));
        Assert.Equal(secretsBefore, _context.Cache.LastChange(secrets));
    }

    [Fact]
    public void A_prefix_within_the_custom_resource_bucket_lists_from_it()
    {
        var (items, _, _) = _context.Cache.List("/registry/customresources/stable.example.com/crontabs/", new WatchFilter("/registry/customresources/stable.example.com/crontabs/"));

        Assert.Empty(items);
    }

    [Fact]
    public async Task List_with_a_namespace_prefix_returns_only_that_namespace()
    {
        await _context.PutAsync("a", "default");
        await _context.PutAsync("b", "kube-system");

        var (items, _, _) = _context.Cache.List(Bucket, new WatchFilter(ConfigMaps.NamespacePrefix("kube-system")));

        Assert.Equal(["b"], items.Select(Name));
    }

    [Fact]
    public async Task List_reports_the_revision_of_the_last_applied_event()
    {
        await _context.PutAsync("a");
        var last = await _context.PutAsync("b");

        var (_, revision, _) = _context.Cache.List(Bucket, All);

        Assert.Equal(last, revision);
    }

    [Fact]
    public async Task List_with_a_limit_returns_that_many_and_reports_more()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await _context.PutAsync(name);
        }

        var (items, _, more) = _context.Cache.List(Bucket, All, limit: 2);

        Assert.Equal(["a", "b"], items.Select(Name));
        Assert.True(more);
    }

    [Fact]
    public async Task List_continuing_after_the_last_key_returns_the_rest()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await _context.PutAsync(name);
        }

        var (first, _, _) = _context.Cache.List(Bucket, All, limit: 2);
        var (rest, _, more) = _context.Cache.List(Bucket, All, continueAfterKey: first[^1].Key, limit: 10);

        Assert.Equal(["c", "d", "e"], rest.Select(Name));
        Assert.False(more);
    }

    [Fact]
    public async Task List_with_a_limit_equal_to_the_matching_count_reports_no_more()
    {
        await _context.PutAsync("a");
        await _context.PutAsync("b");

        var (items, _, more) = _context.Cache.List(Bucket, All, limit: 2);

        Assert.Equal(2, items.Count);
        Assert.False(more);
    }

    [Fact]
    public async Task Listed_objects_carry_their_mod_revision_as_resourceVersion()
    {
        var revision = await _context.PutAsync("a");

        var (items, _, _) = _context.Cache.List(Bucket, All);

        Assert.Equal(Rv(revision), ResourceVersion(Assert.Single(items)));
    }

    [Fact]
    public async Task WaitForRevision_completes_once_the_cache_has_applied_that_revision()
    {
        var next = _context.Store.Revision + 1;
        var waiting = _context.Cache.WaitForRevisionAsync(next, _context.Ct);
        Assert.False(waiting.IsCompleted);

        await _context.Store.CommitAsync(new Mutation(Key("a"), "{\"metadata\":{\"name\":\"a\"}}"u8.ToArray(), 0), _context.Ct);
        await waiting;

        Assert.True(_context.Cache.Revision >= next);
        Assert.NotNull(_context.Cache.Get(Key("a")));
    }

    [Fact]
    public async Task WaitForRevision_of_an_applied_revision_completes_at_once()
    {
        var revision = await _context.PutAsync("a");

        Assert.True(_context.Cache.WaitForRevisionAsync(revision, _context.Ct).IsCompletedSuccessfully);
    }
}
