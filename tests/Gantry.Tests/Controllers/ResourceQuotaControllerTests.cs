using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The resource quota controller on real informers over a registry whose clock stands still; its loop never runs.</summary>
public sealed class ResourceQuotaControllerTests : IAsyncLifetime
{
    private static readonly ResourceType Quotas = ResourceCatalog.Get("", "resourcequotas");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");

    private InformedRegistry _registry = null!;
    private ResourceQuotaController _controller = null!;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        _controller = new ResourceQuotaController(_registry.Informers, _registry.Client, _registry.Context.Time, NullLogger<ResourceQuotaController>.Instance);
        await _registry.RunInformersAsync();
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    private static Dictionary<string, ResourceQuantity> List(string amounts) =>
        amounts.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => new ResourceQuantity(p[1]), StringComparer.Ordinal);

    private static string Print(IDictionary<string, ResourceQuantity>? list) =>
        string.Join(",", (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private Task<V1ResourceQuota> CreateQuotaAsync(string hard, params string[] scopes) =>
        _registry.Client.CreateAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "q", NamespaceProperty = "default" },
            Spec = new V1ResourceQuotaSpec { Hard = List(hard), Scopes = scopes.Length > 0 ? scopes : null },
        }, _registry.Context.Ct);

    private Task<V1Pod> CreatePodAsync(string name, string? cpu = null) =>
        _registry.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "web",
                        Image = "nginx",
                        Resources = cpu is null ? null : new V1ResourceRequirements { Requests = List($"cpu={cpu}"), Limits = List($"cpu={cpu}") },
                    },
                ],
            },
        }, _registry.Context.Ct);

    /// <summary>One count of the quota once every informer holds what was stored; returns its stored status.</summary>
    private async Task<V1ResourceQuotaStatus> SyncAsync()
    {
        await _registry.SettleAsync<V1Pod>(Pods);
        await _registry.SettleAsync<V1Service>(Services);
        await _registry.SettleAsync<V1ResourceQuota>(Quotas);
        await _controller.SyncAsync("default/q", _registry.Context.Ct);
        return KubernetesJson.Deserialize<V1ResourceQuota>(_registry.Context.Get(Quotas, "q")!.ToJsonString()).Status;
    }

    [Fact]
    public async Task A_new_quota_gets_its_hard_limits_and_zero_usage_in_its_status()
    {
        await CreateQuotaAsync("pods=5,requests.cpu=2,limits.memory=1Gi,count/deployments.apps=3");

        var status = await SyncAsync();

        Assert.Equal("count/deployments.apps=3,limits.memory=1Gi,pods=5,requests.cpu=2", Print(status.Hard));
        Assert.Equal("count/deployments.apps=0,limits.memory=0,pods=0,requests.cpu=0", Print(status.Used));
    }

    [Fact]
    public async Task The_pods_of_the_namespace_are_counted()
    {
        await CreatePodAsync("a", cpu: "250m");
        await CreatePodAsync("b", cpu: "500m");
        await CreatePodAsync("c");
        await CreateQuotaAsync("pods=5,requests.cpu=2,limits.cpu=4,count/pods=10");

        var status = await SyncAsync();

        Assert.Equal("count/pods=3,limits.cpu=750m,pods=3,requests.cpu=750m", Print(status.Used));
    }

    [Fact]
    public async Task A_deleted_pods_usage_is_given_back()
    {
        await CreatePodAsync("a", cpu: "250m");
        await CreatePodAsync("b", cpu: "500m");
        await CreateQuotaAsync("pods=5,requests.cpu=2");
        Assert.Equal("pods=2,requests.cpu=750m", Print((await SyncAsync()).Used));

        await _registry.Client.DeleteAsync<V1Pod>("default", "b", DeleteRequest.Default, _registry.Context.Ct);
        var status = await SyncAsync();

        Assert.Null(_registry.Context.Get(Pods, "b"));
        Assert.Equal("pods=1,requests.cpu=250m", Print(status.Used));
    }

    [Fact]
    public async Task A_pod_that_has_ended_is_still_an_object_but_no_longer_a_running_pod()
    {
        await CreatePodAsync("a", cpu: "250m");
        await CreateQuotaAsync("pods=5,count/pods=5,requests.cpu=2");
        await _registry.Client.MutateAsync<V1Pod>("default", "a", p => p.Status = new V1PodStatus { Phase = "Succeeded" }, _registry.Context.Ct, "status");

        var status = await SyncAsync();

        Assert.Equal("count/pods=1,pods=0,requests.cpu=0", Print(status.Used));
    }

    [Fact]
    public async Task A_scoped_quota_counts_only_the_pods_its_scopes_match()
    {
        await CreatePodAsync("best-effort");
        await CreatePodAsync("burstable", cpu: "100m");
        await CreateQuotaAsync("pods=5", "BestEffort");

        var status = await SyncAsync();

        Assert.Equal("pods=1", Print(status.Used));
    }

    [Fact]
    public async Task Services_are_counted_with_their_node_ports()
    {
        await _registry.Client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec { Type = "NodePort", Ports = [new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "https", Port = 443 }] },
        }, _registry.Context.Ct);
        await CreateQuotaAsync("services=5,services.nodeports=4,services.loadbalancers=1");

        var status = await SyncAsync();

        Assert.Equal("services=1,services.loadbalancers=0,services.nodeports=2", Print(status.Used));
    }

    [Fact]
    public async Task Objects_of_other_kinds_are_counted_by_their_count_names()
    {
        await _registry.Context.CreateAsync(RegistryTestContext.ConfigMaps, RegistryTestContext.ConfigMap("one"));
        await _registry.Context.CreateAsync(RegistryTestContext.ConfigMaps, RegistryTestContext.ConfigMap("two"));
        await CreateQuotaAsync("configmaps=10,count/configmaps=10,count/deployments.apps=1");

        var status = await SyncAsync();

        Assert.Equal("configmaps=2,count/configmaps=2,count/deployments.apps=0", Print(status.Used));
    }
}
