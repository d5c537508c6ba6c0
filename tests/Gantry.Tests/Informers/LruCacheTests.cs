using Gantry.Server.Informers;
using Xunit;

namespace Gantry.Tests.Informers;

public sealed class LruCacheTests
{
    [Fact]
    public void A_full_cache_forgets_the_least_recently_used_entry()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.TryGet("a", out _);

        cache.Set("c", 3);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Setting_a_held_key_replaces_its_value_without_evicting()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);

        cache.Set("a", 10);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(10, a);
        Assert.True(cache.TryGet("b", out _));
    }
}
