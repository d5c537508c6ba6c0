using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Registry;

/// <summary>
/// A registry over a real store and watch cache in a fresh directory, with the bootstrap namespaces,
/// a clock that stands still, and a deadline so that a hung write fails the test instead of hanging it.
/// </summary>
internal sealed class RegistryTestContext : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static ResourceType ConfigMaps { get; } = ResourceCatalog.Get("", "configmaps");

    public static ResourceType Deployments { get; } = ResourceCatalog.Get("apps", "deployments");

    public static ResourceType Pods { get; } = ResourceCatalog.Get("", "pods");

    public static ResourceType Namespaces { get; } = ResourceCatalog.Get("", "namespaces");

    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(60));
    private readonly string _directory;

    private RegistryTestContext(string directory, SqliteVersionedStore store, WatchCache cache, FakeTimeProvider time)
    {
        _directory = directory;
        Store = store;
        Cache = cache;
        Time = time;
        Registry = new ObjectRegistry(store, cache, ResourceRulesCatalog.For, time);
    }

    public SqliteVersionedStore Store { get; }

    public WatchCache Cache { get; }

    public FakeTimeProvider Time { get; }

    public ObjectRegistry Registry { get; }

    public CancellationToken Ct => _deadline.Token;

    public static async Task<RegistryTestContext> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-registry-").FullName;
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var store = await SqliteVersionedStore.OpenAsync(Path.Combine(directory, "store.db"), logger: null, startup.Token);
        var cache = new WatchCache(store, ResourceCatalog.KeyPrefixes, ObjectIndex.Build, NullLogger.Instance);
        await cache.StartAsync(startup.Token);
        var context = new RegistryTestContext(directory, store, cache, new FakeTimeProvider(Start));
        await BootstrapObjects.EnsureAsync(context.Registry, startup.Token);
        return context;
    }

    public Task<JsonObject> CreateAsync(ResourceType type, JsonObject obj, WriteOptions? options = null) =>
        Registry.CreateAsync(type, type.Namespaced ? "default" : null, obj, options ?? new WriteOptions(), Ct);

    public Task<JsonObject> UpdateAsync(ResourceType type, JsonObject obj, string? subresource = null, WriteOptions? options = null) =>
        Registry.UpdateAsync(type, type.Namespaced ? "default" : null, Name(obj), obj, subresource, options ?? new WriteOptions(), Ct);

    public Task<JsonObject> MutateAsync(ResourceType type, string name, Func<JsonObject, JsonObject> mutate, WriteOptions? options = null) =>
        Registry.MutateAsync(type, type.Namespaced ? "default" : null, name, mutate, null, null, options ?? new WriteOptions(), Ct);

    public Task<JsonObject> DeleteAsync(ResourceType type, string name, DeleteRequest? request = null) =>
        Registry.DeleteAsync(type, type.Namespaced ? "default" : null, name, request ?? DeleteRequest.Default, Ct);

    /// <summary>The object as a GET would return it, or null when it does not exist.</summary>
    public JsonObject? Get(ResourceType type, string name) =>
        Registry.Get(type, type.Namespaced ? "default" : null, name) is { } cached ? JsonNode.Parse(cached.Json)!.AsObject() : null;

    public static string Name(JsonObject obj) => ObjectMetadata.Name(obj)!;

    public static string? ResourceVersion(JsonObject obj) => ObjectMetadata.ResourceVersion(obj);

    public static JsonObject ConfigMap(string name, params (string Key, string Value)[] labels) => new()
    {
        ["metadata"] = Metadata(name, labels),
        ["data"] = new JsonObject { ["key"] = "value" },
    };

    public static JsonObject Deployment(string name, int replicas = 1) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(name),
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(Container()) },
            },
        },
    };

    public static JsonObject Pod(string name, string? nodeName = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(Container()) };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return new JsonObject { ["metadata"] = Metadata(name), ["spec"] = spec };
    }

    private static JsonObject Container() => new() { ["name"] = "web", ["image"] = "nginx:1.27" };

    private static JsonObject Metadata(string name, params (string Key, string Value)[] labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels.Length > 0)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return metadata;
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Store.DisposeAsync();
        _deadline.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
