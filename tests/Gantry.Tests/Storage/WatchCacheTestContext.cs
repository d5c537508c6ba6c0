using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Storage;

/// <summary>
/// A watch cache over a real store in a fresh directory, with helpers that write config maps straight
/// to the store (as the registry would) and read watch events within the test's deadline.
/// </summary>
internal sealed class WatchCacheTestContext : IAsyncDisposable
{
    public static ResourceType ConfigMaps { get; } = ResourceCatalog.Get("", "configmaps");

    public static string Bucket => ConfigMaps.KeyPrefix;

    private readonly StoreTestContext _files = new();

    private WatchCacheTestContext()
    {
    }

    public SqliteVersionedStore Store { get; private set; } = null!;

    public WatchCache Cache { get; private set; } = null!;

    public CancellationToken Ct => _files.Deadline;

    public static async Task<WatchCacheTestContext> StartAsync()
    {
        var context = new WatchCacheTestContext();
        context.Store = await context._files.OpenAsync();
        context.Cache = await context.StartCacheAsync();
        return context;
    }

    /// <summary>Stops the cache and the store and opens both again on the same data, as a server restart does.</summary>
    public async Task RestartAsync()
    {
        await Cache.DisposeAsync();
        await Store.DisposeAsync();
        Store = await _files.OpenAsync();
        Cache = await StartCacheAsync();
    }

    private async Task<WatchCache> StartCacheAsync()
    {
        var cache = new WatchCache(Store, ResourceCatalog.KeyPrefixes, ObjectIndex.Build, NullLogger.Instance);
        await cache.StartAsync(Ct);
        return cache;
    }

    public static string Key(string name, string ns = "default") => ConfigMaps.Key(ns, name);

    /// <summary>Creates or replaces config map <paramref name="name"/> and waits until the cache has applied it.</summary>
    public async Task<long> PutAsync(string name, params (string Key, string Value)[] labels) =>
        await PutAsync(name, "default", labels);

    public async Task<long> PutAsync(string name, string ns, params (string Key, string Value)[] labels)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        };
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata };
        var result = await Store.CommitAsync(new Mutation(Key(name, ns), Encoding.UTF8.GetBytes(obj.ToJsonString()), null), Ct);
        await Cache.WaitForRevisionAsync(result.Revision, Ct);
        return result.Revision;
    }

    public async Task<long> DeleteAsync(string name)
    {
        var result = await Store.CommitAsync(new Mutation(Key(name), null, null), Ct);
        await Cache.WaitForRevisionAsync(result.Revision, Ct);
        return result.Revision;
    }

    public static WatchFilter All { get; } = new(Bucket);

    public static WatchFilter Labelled(string key, string value) => new(Bucket, o => o.Labels.GetValueOrDefault(key) == value);

    public ChannelReader<WatchEvent> Watch(WatchFilter filter, long? fromRevision, bool bookmarks = false, bool initialEventsEnd = false) =>
        Cache.Watch(Bucket, filter, fromRevision, bookmarks, initialEventsEnd, Ct);

    public async Task<WatchEvent> NextAsync(ChannelReader<WatchEvent> events) => await events.ReadAsync(Ct);

    public async Task<List<WatchEvent>> TakeAsync(ChannelReader<WatchEvent> events, int count)
    {
        var taken = new List<WatchEvent>(count);
        while (taken.Count < count)
        {
            taken.Add(await events.ReadAsync(Ct));
        }

        return taken;
    }

    public static string Name(CachedObject obj) => JsonNode.Parse(obj.Json)!["metadata"]!["name"]!.GetValue<string>();

    public static string ResourceVersion(CachedObject obj) => JsonNode.Parse(obj.Json)!["metadata"]!["resourceVersion"]!.GetValue<string>();

    public static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>The event as (type, name, revision), for compact assertions.</summary>
    public static (WatchEventType, string?, long) Summary(WatchEvent e) => (e.Type, e.Object is null ? null : Name(e.Object), e.Revision);

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Store.DisposeAsync();
        _files.Dispose();
    }
}
