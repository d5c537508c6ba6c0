using Gantry.Core.Resources;
using Gantry.Server.Informers;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// A registry whose clock stands still, with running informers over it, for a controller that the test drives by hand
/// (its loop never runs): each sync or pass sees exactly what the test arranged, once it has settled. The controller is
/// made between <see cref="CreateAsync"/> and <see cref="RunInformersAsync"/>, as informers are asked for before they run.
/// </summary>
internal sealed class InformedRegistry : IAsyncDisposable
{
    private readonly CancellationTokenSource _informing = new();
    private Task _informersRun = Task.CompletedTask;
    private RecordedEvents? _events;

    private InformedRegistry(RegistryTestContext context)
    {
        Context = context;
        Client = new InProcessClient(context.Registry, "test");
        Informers = new SharedInformers(context.Cache, NullLoggerFactory.Instance);
    }

    public RegistryTestContext Context { get; }

    public InProcessClient Client { get; }

    public SharedInformers Informers { get; }

    public static async Task<InformedRegistry> CreateAsync() => new(await RegistryTestContext.StartAsync());

    /// <summary>Runs an event recorder for the controller, named as its events' source, until the registry is disposed.</summary>
    public RecordedEvents RecordEvents(string component) => _events = new RecordedEvents(Context, Client, component);

    /// <summary>Starts the informers the controller asked for and waits until they have listed.</summary>
    public async Task RunInformersAsync()
    {
        _informersRun = Informers.RunAsync(_informing.Token);
        await Informers.WaitForSyncAsync(Context.Ct);
    }

    /// <summary>Waits until the informer of <typeparamref name="T"/> holds every object of <paramref name="type"/> at its stored revision.</summary>
    public async Task SettleAsync<T>(ResourceType type) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = Informers.For<T>();
        while (!Context.HoldsStored(type, informer.List()))
        {
            await Task.Delay(5, Context.Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _informing.CancelAsync();
        await _informersRun;
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        await Context.DisposeAsync();
        _informing.Dispose();
    }
}
