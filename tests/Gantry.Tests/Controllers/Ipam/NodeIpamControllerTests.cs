using System.Net;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Storage;
using Gantry.Tests.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers.Ipam;

/// <summary>The node IPAM controller on real informers: assignment, rebuild from stored Nodes, release on delete.</summary>
public sealed class NodeIpamControllerTests
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");
    private static readonly NodeIpamOptions Options = new(IPNetwork.Parse("10.244.0.0/22"), 24, "10.96.0.0/12");

    [Fact]
    public async Task Each_node_gets_its_own_pod_cidr_and_the_ranges_are_published()
    {
        await using var context = await RegistryTestContext.StartAsync();
        var client = new InProcessClient(context.Registry, "test");
        await CreateNodeAsync(client, "a", context.Ct);
        await CreateNodeAsync(client, "b", context.Ct);

        await using (await Running.StartAsync(context, client))
        {
            await UntilAsync(context, () => PodCidr(client, "a") is not null && PodCidr(client, "b") is not null);
        }

        Assert.Equal(["10.244.0.0/24", "10.244.1.0/24"], new[] { PodCidr(client, "a"), PodCidr(client, "b") }.Order());
        var node = await Node(client, "a", context.Ct);
        Assert.Equal([node.Spec.PodCIDR], node.Spec.PodCIDRs);
        var config = client.Registry.Get(ResourceCatalog.Get("", "configmaps"), ClusterNetworkConfig.Namespace, ClusterNetworkConfig.Name);
        Assert.NotNull(config);
        Assert.Contains("\"clusterCIDR\":\"10.244.0.0/22\"", System.Text.Encoding.UTF8.GetString(config.Json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cidrs_of_existing_nodes_are_not_handed_out_again_after_a_restart()
    {
        await using var context = await RegistryTestContext.StartAsync();
        var client = new InProcessClient(context.Registry, "test");
        await CreateNodeAsync(client, "old", context.Ct, podCidr: "10.244.0.0/24");
        await CreateNodeAsync(client, "new", context.Ct);

        await using (await Running.StartAsync(context, client))
        {
            await UntilAsync(context, () => PodCidr(client, "new") is not null);
        }

        Assert.Equal("10.244.1.0/24", PodCidr(client, "new"));
        Assert.Equal("10.244.0.0/24", PodCidr(client, "old"));
    }

    [Fact]
    public async Task A_deleted_nodes_cidr_goes_to_the_next_node()
    {
        await using var context = await RegistryTestContext.StartAsync();
        var client = new InProcessClient(context.Registry, "test");
        await using var running = await Running.StartAsync(context, client);
        await CreateNodeAsync(client, "a", context.Ct);
        await UntilAsync(context, () => PodCidr(client, "a") is not null);
        await CreateNodeAsync(client, "b", context.Ct);
        await UntilAsync(context, () => PodCidr(client, "b") is not null);
        var freed = PodCidr(client, "a");

        await client.DeleteAsync<V1Node>(null, "a", Gantry.Server.Registry.DeleteRequest.Default, context.Ct);
        await UntilAsync(context, () => client.Registry.Get(Nodes, null, "a") is null);
        await CreateNodeAsync(client, "c", context.Ct);
        await UntilAsync(context, () => PodCidr(client, "c") is not null);

        Assert.Equal(freed, PodCidr(client, "c"));
    }

    private static Task<V1Node> CreateNodeAsync(InProcessClient client, string name, CancellationToken ct, string? podCidr = null) =>
        client.CreateAsync(new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = podCidr is null ? null : new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        }, ct);

    private static async Task<V1Node> Node(InProcessClient client, string name, CancellationToken ct) =>
        await client.MutateAsync<V1Node>(null, name, _ => { }, ct);

    private static string? PodCidr(InProcessClient client, string name) =>
        client.Registry.Get(Nodes, null, name) is { } cached
            ? k8s.KubernetesJson.Deserialize<V1Node>(System.Text.Encoding.UTF8.GetString(cached.Json)).Spec?.PodCIDR
            : null;

    private static async Task UntilAsync(RegistryTestContext context, Func<bool> done)
    {
        var events = context.Cache.Watch(Nodes.KeyPrefix, new WatchFilter(Nodes.KeyPrefix), context.Cache.Revision, false, false, context.Ct);
        if (done())
        {
            return;
        }

        await foreach (var _ in events.ReadAllAsync(context.Ct))
        {
            if (done())
            {
                return;
            }
        }
    }

    /// <summary>The controller and its informers, stopped on dispose.</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private NodeIpamController _controller = null!;
        private Task _informers = Task.CompletedTask;

        public static async Task<Running> StartAsync(RegistryTestContext context, InProcessClient client)
        {
            var running = new Running();
            var informers = new SharedInformers(context.Cache, NullLoggerFactory.Instance);
            var events = new EventRecorder(client, "test", TimeProvider.System, NullLogger.Instance);
            running._controller = new NodeIpamController(informers, client, events, Options, TimeProvider.System, NullLogger<NodeIpamController>.Instance);
            await running._controller.StartAsync(context.Ct);
            running._informers = informers.RunAsync(running._stop.Token);
            return running;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _controller.StopAsync(CancellationToken.None);
            await _informers;
            _stop.Dispose();
        }
    }
}
