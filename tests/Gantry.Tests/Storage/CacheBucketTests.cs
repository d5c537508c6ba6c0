using Gantry.Server.Storage;
using Xunit;

namespace Gantry.Tests.Storage;

public sealed class CacheBucketTests
{
    private static CacheBucket BucketWith(params string[] keys)
    {
        var bucket = new CacheBucket();
        foreach (var key in keys)
        {
            bucket.Set(new CachedObject(key, [], 1, 1, new Dictionary<string, string>(), new Dictionary<string, string>()));
        }

        return bucket;
    }

    private static string[] Keys(IEnumerable<CachedObject> objects) => objects.Select(o => o.Key).ToArray();

    [Fact]
    public void A_namespace_range_holds_only_that_namespace_in_key_order()
    {
        var bucket = BucketWith("/registry/pods/ab/x", "/registry/pods/a/z", "/registry/pods/b/y", "/registry/pods/a/c");

        Assert.Equal(["/registry/pods/a/c", "/registry/pods/a/z"], Keys(bucket.Range("/registry/pods/a/", null)));
    }

    [Fact]
    public void A_range_continues_after_the_given_key()
    {
        var bucket = BucketWith("/registry/pods/a/1", "/registry/pods/a/2", "/registry/pods/a/3");

        Assert.Equal(["/registry/pods/a/3"], Keys(bucket.Range("/registry/pods/", "/registry/pods/a/2")));
    }

    [Fact]
    public void A_continue_key_past_the_prefix_gives_nothing()
    {
        var bucket = BucketWith("/registry/pods/a/1", "/registry/pods/b/1");

        Assert.Empty(bucket.Range("/registry/pods/a/", "/registry/pods/b/0"));
    }

    [Fact]
    public void Removed_objects_leave_the_range()
    {
        var bucket = BucketWith("/registry/pods/a/1", "/registry/pods/a/2");
        bucket.Remove("/registry/pods/a/1");

        Assert.Equal(["/registry/pods/a/2"], Keys(bucket.Range("/registry/pods/", null)));
    }
}
