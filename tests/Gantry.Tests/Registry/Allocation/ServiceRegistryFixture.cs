using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Allocation;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Registry.Allocation;

/// <summary>A registry over a real store with the Service allocators wired as the server wires them.</summary>
internal sealed class ServiceRegistryFixture : IAsyncDisposable
{
    public static ResourceType Services { get; } = ResourceCatalog.Get("", "services");

    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(60));
    private readonly string _directory;

    private ServiceRegistryFixture(string directory, SqliteVersionedStore store, WatchCache cache, ServiceAllocations allocations)
    {
        _directory = directory;
        Store = store;
        Cache = cache;
        Allocations = allocations;
        Registry = new ObjectRegistry(store, cache, ResourceRulesCatalog.For, new FakeTimeProvider(RegistryTestContext.Start), [allocations]);
    }

    public SqliteVersionedStore Store { get; }

    public WatchCache Cache { get; }

    public ServiceAllocations Allocations { get; }

    public ObjectRegistry Registry { get; }

    public CancellationToken Ct => _deadline.Token;

    public static async Task<ServiceRegistryFixture> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-services-").FullName;
        var store = await SqliteVersionedStore.OpenAsync(Path.Combine(directory, "store.db"), logger: null, CancellationToken.None);
        var cache = new WatchCache(store, ResourceCatalog.KeyPrefixes, ObjectIndex.Build, NullLogger.Instance);
        await cache.StartAsync(CancellationToken.None);
        var fixture = new ServiceRegistryFixture(directory, store, cache, NewAllocations());
        await BootstrapObjects.EnsureAsync(fixture.Registry, fixture.Ct);
        return fixture;
    }

    public static ServiceAllocations NewAllocations() =>
        new(new ClusterIpAllocator("10.96.0.0/12"), new NodePortAllocator(), NullLogger.Instance);

    public static JsonObject Service(string name, string? clusterIp = null, string type = "ClusterIP", int? nodePort = null) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["type"] = type,
            ["clusterIP"] = clusterIp,
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = 8080, ["nodePort"] = nodePort }),
        },
    };

    public Task<JsonObject> CreateAsync(JsonObject service, bool dryRun = false) =>
        Registry.CreateAsync(Services, "default", service, new WriteOptions(DryRun: dryRun), Ct);

    public Task<JsonObject> MutateAsync(string name, Action<JsonObject> mutate) =>
        Registry.MutateAsync(Services, "default", name, obj =>
        {
            mutate(obj);
            return obj;
        }, null, null, new WriteOptions(), Ct);

    public Task DeleteAsync(string name) => Registry.DeleteAsync(Services, "default", name, DeleteRequest.Default, Ct);

    public static string ClusterIp(JsonObject service) => service["spec"]!["clusterIP"]!.GetValue<string>();

    public static int NodePort(JsonObject service) => service["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();

    public async ValueTask DisposeAsync()
    {
        _deadline.Dispose();
        await Cache.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
