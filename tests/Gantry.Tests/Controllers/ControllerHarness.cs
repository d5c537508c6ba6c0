using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Tests.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// A registry with the controllers running on real informers, as the server wires them, and a way to
/// wait for a condition on the stored objects that wakes on each change instead of sleeping.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IHostedService> _services = [];
    private readonly Gantry.Server.Admission.Webhooks.WebhookClient _conversionWebhooks;
    private Task _informers = Task.CompletedTask;
    private Task _events = Task.CompletedTask;

    private ControllerHarness(RegistryTestContext context)
    {
        Context = context;
        Client = new InProcessClient(context.Registry, "test-controllers");
        _conversionWebhooks = new Gantry.Server.Admission.Webhooks.WebhookClient(new Gantry.Server.Admission.Webhooks.ServiceEndpoints(context.Cache));
    }

    public RegistryTestContext Context { get; }

    public InProcessClient Client { get; }

    public static async Task<ControllerHarness> StartAsync()
    {
        var harness = new ControllerHarness(await RegistryTestContext.StartAsync());
        var time = TimeProvider.System;
        var informers = new SharedInformers(harness.Context.Cache, NullLoggerFactory.Instance);
        var events = new EventRecorder(harness.Client, "test", time, NullLogger.Instance);
        harness._services.Add(new ReplicaSetController(informers, harness.Client, events, time, NullLogger<ReplicaSetController>.Instance));
        harness._services.Add(new ReplicationControllerController(informers, harness.Client, events, time, NullLogger<ReplicationControllerController>.Instance));
        harness._services.Add(new DeploymentController(informers, harness.Client, events, time, NullLogger<DeploymentController>.Instance));
        harness._services.Add(new JobController(informers, harness.Client, events, time, NullLogger<JobController>.Instance));
        harness._services.Add(new GarbageCollector(harness.Context.Registry, new Gantry.Server.Registry.CustomResources.CustomResourceTypes(harness.Context.Registry.Cache, harness._conversionWebhooks), time, NullLogger<GarbageCollector>.Instance));
        foreach (var service in harness._services)
        {
            await service.StartAsync(harness.Context.Ct);
        }

        harness._informers = informers.RunAsync(harness._stop.Token);
        harness._events = events.RunAsync(harness._stop.Token);
        return harness;
    }

    /// <summary>Waits until <paramref name="done"/> holds, re-checking after every change to <paramref name="type"/>.</summary>
    public Task UntilAsync(ResourceType type, Func<bool> done) => Context.UntilStoredAsync(type, done);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var service in _services)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await Task.WhenAll(_informers, _events);
        await Context.DisposeAsync();
        _conversionWebhooks.Dispose();
        _stop.Dispose();
    }
}
