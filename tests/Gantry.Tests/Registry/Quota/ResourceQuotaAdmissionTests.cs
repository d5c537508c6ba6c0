using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Quota;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

/// <summary>
/// ResourceQuota admission in a registry over a real store: creates are judged by the quotas' status and charged into
/// it with compare-and-swap before they are stored.
/// </summary>
public sealed class ResourceQuotaAdmissionTests : IAsyncLifetime
{
    private static readonly ResourceType Quotas = ResourceCatalog.Get("", "resourcequotas");
    private static readonly ResourceType Pods = RegistryTestContext.Pods;

    private RegistryTestContext _context = null!;
    private ObjectRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _registry = new ObjectRegistry(
            _context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, null, null, null, [new ResourceQuotaAdmission(_context.Time)]);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject ToNode(object obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

    /// <summary>Stores a quota and writes its status as the controller would have counted it.</summary>
    private async Task StoreCountedQuotaAsync(string name, string hard, string used, string ns = "default")
    {
        var quota = CountedQuota(name, hard, used);
        quota.Metadata.NamespaceProperty = ns;
        await _registry.CreateAsync(Quotas, ns, ToNode(quota), new WriteOptions(), _context.Ct);
        await _registry.UpdateAsync(Quotas, ns, name, ToNode(quota), "status", new WriteOptions(), _context.Ct);
    }

    private V1ResourceQuota StoredQuota(string name) =>
        KubernetesJson.Deserialize<V1ResourceQuota>(_context.Get(Quotas, name)!.ToJsonString());

    private string Used(string name) => string.Join(",", StoredQuota(name).Status.Used.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static JsonObject PodAsking(string name, string? cpu = null)
    {
        var pod = RegistryTestContext.Pod(name);
        if (cpu is not null)
        {
            pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } };
        }

        return pod;
    }

    private Task<JsonObject> CreatePodAsync(JsonObject pod, WriteOptions? options = null) =>
        _registry.CreateAsync(Pods, "default", pod, options ?? new WriteOptions(), _context.Ct);

    private int StoredPods() => _context.Cache.List(Pods.KeyPrefix, new WatchFilter(Pods.NamespacePrefix("default"))).Items.Count;

    [Fact]
    public async Task An_admitted_pod_is_stored_and_charged_to_the_quota()
    {
        await StoreCountedQuotaAsync("q", hard: "pods=5,requests.cpu=1", used: "pods=0,requests.cpu=0");

        await CreatePodAsync(PodAsking("web", cpu: "250m"));

        Assert.NotNull(_context.Get(Pods, "web"));
        Assert.Equal("pods=1,requests.cpu=250m", Used("q"));
    }

    [Fact]
    public async Task A_pod_over_the_quota_is_forbidden_not_stored_and_charges_nothing()
    {
        await StoreCountedQuotaAsync("q", hard: "requests.cpu=1", used: "requests.cpu=900m");

        var refused = await Assert.ThrowsAsync<ApiException>(() => CreatePodAsync(PodAsking("web", cpu: "200m")));

        Assert.Equal(403, refused.Code);
        Assert.Equal(
            "pods \"web\" is forbidden: exceeded quota: q, requested: requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1",
            refused.Message);
        Assert.Null(_context.Get(Pods, "web"));
        Assert.Equal("requests.cpu=900m", Used("q"));
    }

    [Fact]
    public async Task Twenty_concurrent_creates_against_five_pods_store_exactly_five_and_refuse_the_rest_as_over_quota()
    {
        await StoreCountedQuotaAsync("q", hard: "pods=5", used: "pods=0");

        var codes = await CreateConcurrentlyAsync(20);

        Assert.Equal(5, StoredPods());
        Assert.Equal(5, codes.Count(c => c == 201));
        Assert.Equal(15, codes.Count(c => c == 403));
        Assert.Equal("pods=5", Used("q"));
    }

    [Fact]
    public async Task Once_full_the_quota_refuses_every_concurrent_create()
    {
        await StoreCountedQuotaAsync("q", hard: "pods=5", used: "pods=5");

        var codes = await CreateConcurrentlyAsync(10);

        Assert.All(codes, c => Assert.Equal(403, c));
        Assert.Equal(0, StoredPods());
        Assert.Equal("pods=5", Used("q"));
    }

    /// <summary>Creates pods at once, each on its own thread; the status code each create ends with.</summary>
    private async Task<int[]> CreateConcurrentlyAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                await CreatePodAsync(PodAsking($"web-{i}"));
                return 201;
            }
            catch (ApiException ex)
            {
                return ex.Code;
            }
        })));

    [Fact]
    public async Task A_dry_run_create_is_judged_but_charges_nothing()
    {
        await StoreCountedQuotaAsync("q", hard: "pods=1", used: "pods=0");

        await CreatePodAsync(PodAsking("web"), new WriteOptions(DryRun: true));

        Assert.Equal("pods=0", Used("q"));
        Assert.Null(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task A_dry_run_create_over_the_quota_is_forbidden()
    {
        await StoreCountedQuotaAsync("q", hard: "pods=1", used: "pods=1");

        var refused = await Assert.ThrowsAsync<ApiException>(() => CreatePodAsync(PodAsking("web"), new WriteOptions(DryRun: true)));

        Assert.Equal(403, refused.Code);
    }

    [Fact]
    public async Task A_quota_the_controller_has_not_counted_holds_back_nothing()
    {
        var quota = CountedQuota("q", hard: "pods=0", used: null);
        await _registry.CreateAsync(Quotas, "default", ToNode(quota), new WriteOptions(), _context.Ct);

        await CreatePodAsync(PodAsking("web"));

        Assert.Null(StoredQuota("q").Status);
        Assert.NotNull(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task A_quota_of_another_namespace_does_not_charge()
    {
        await _context.CreateAsync(RegistryTestContext.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" } });
        await StoreCountedQuotaAsync("q", hard: "pods=0", used: "pods=0", ns: "other");

        await CreatePodAsync(PodAsking("web"));

        Assert.NotNull(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task A_config_map_is_charged_to_an_object_count_quota()
    {
        await StoreCountedQuotaAsync("q", hard: "configmaps=1,count/configmaps=1", used: "configmaps=0,count/configmaps=0");

        await _registry.CreateAsync(RegistryTestContext.ConfigMaps, "default", RegistryTestContext.ConfigMap("first"), new WriteOptions(), _context.Ct);
        var refused = await Assert.ThrowsAsync<ApiException>(() =>
            _registry.CreateAsync(RegistryTestContext.ConfigMaps, "default", RegistryTestContext.ConfigMap("second"), new WriteOptions(), _context.Ct));

        Assert.Equal("configmaps=1,count/configmaps=1", Used("q"));
        Assert.Equal(
            "configmaps \"second\" is forbidden: exceeded quota: q, requested: configmaps=1,count/configmaps=1, used: configmaps=1,count/configmaps=1, limited: configmaps=1,count/configmaps=1",
            refused.Message);
    }

    [Fact]
    public async Task A_pod_is_charged_to_every_quota_that_holds_what_it_uses()
    {
        await StoreCountedQuotaAsync("compute", hard: "requests.cpu=2", used: "requests.cpu=500m");
        await StoreCountedQuotaAsync("counts", hard: "pods=10", used: "pods=3");

        await CreatePodAsync(PodAsking("web", cpu: "1"));

        Assert.Equal("requests.cpu=1500m", Used("compute"));
        Assert.Equal("pods=4", Used("counts"));
    }
}
