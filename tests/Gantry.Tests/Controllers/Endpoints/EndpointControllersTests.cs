using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Storage;
using Gantry.Tests.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers.Endpoints;

/// <summary>The Endpoints and EndpointSlice controllers on real informers, following a pod's readiness.</summary>
public sealed class EndpointControllersTests
{
    private static readonly ResourceType EndpointsType = ResourceCatalog.Get("", "endpoints");
    private static readonly ResourceType SlicesType = ResourceCatalog.Get("discovery.k8s.io", "endpointslices");

    [Fact]
    public async Task Endpoints_and_slices_follow_pod_readiness_and_go_with_the_service()
    {
        await using var context = await RegistryTestContext.StartAsync();
        using var stop = new CancellationTokenSource();
        var client = new InProcessClient(context.Registry, "test");
        var informers = new SharedInformers(context.Cache, NullLoggerFactory.Instance);
        var endpoints = new EndpointsController(informers, client, TimeProvider.System, NullLogger<EndpointsController>.Instance);
        var slices = new EndpointSliceController(informers, client, TimeProvider.System, NullLogger<EndpointSliceController>.Instance);
        await endpoints.StartAsync(context.Ct);
        await slices.StartAsync(context.Ct);
        var running = informers.RunAsync(stop.Token);

        var service = EndpointTestObjects.Service();
        service.Metadata.Uid = null;
        service.Spec.ClusterIP = null;
        await client.CreateAsync(service, context.Ct);
        var pod = EndpointTestObjects.Pod("a", null);
        pod.Status = null;
        await client.CreateAsync(pod, context.Ct);
        await client.MutateAsync<V1Pod>("default", "a", p => p.Status = EndpointTestObjects.Pod("a", "10.88.0.2", ready: false).Status, context.Ct, "status");

        await UntilAsync(context, EndpointsType, () => client.Registry.Get(EndpointsType, "default", "web") is { } e && Json(e).Contains("notReadyAddresses", StringComparison.Ordinal));
        await client.MutateAsync<V1Pod>("default", "a", p => p.Status = EndpointTestObjects.Pod("a", "10.88.0.2", ready: true).Status, context.Ct, "status");

        await UntilAsync(context, EndpointsType, () => client.Registry.Get(EndpointsType, "default", "web") is { } e
            && Json(e).Contains("\"addresses\":[{\"ip\":\"10.88.0.2\"", StringComparison.Ordinal));
        await UntilAsync(context, SlicesType, () => SliceJson(context).Contains("\"ready\":true", StringComparison.Ordinal));
        Assert.Contains("\"kubernetes.io/service-name\":\"web\"", SliceJson(context), StringComparison.Ordinal);

        await client.DeleteAsync<V1Service>("default", "web", Gantry.Server.Registry.DeleteRequest.Default, context.Ct);
        await UntilAsync(context, EndpointsType, () => client.Registry.Get(EndpointsType, "default", "web") is null);

        await stop.CancelAsync();
        await endpoints.StopAsync(CancellationToken.None);
        await slices.StopAsync(CancellationToken.None);
        await running;
    }

    private static string Json(CachedObject cached) => System.Text.Encoding.UTF8.GetString(cached.Json);

    private static string SliceJson(RegistryTestContext context) =>
        string.Join("\n", context.Cache.List(SlicesType.KeyPrefix, new WatchFilter(SlicesType.KeyPrefix)).Items.Select(Json));

    private static async Task UntilAsync(RegistryTestContext context, ResourceType type, Func<bool> done)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.Ct);
        var events = context.Cache.Watch(type.KeyPrefix, new WatchFilter(type.KeyPrefix), context.Cache.Revision, false, false, watching.Token);
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
}
