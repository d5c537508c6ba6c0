using Gantry.Server.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Informers;

/// <summary>
/// One informer per resource kind, shared by every loop of the server, like client-go's shared
/// informer factory: loops ask for theirs while they are built, then <see cref="RunAsync"/> starts
/// them all and loops wait for <see cref="WaitForSyncAsync"/> before acting.
/// </summary>
public sealed class SharedInformers(WatchCache cache, ILoggerFactory loggerFactory)
{
    private readonly Dictionary<Type, object> _informers = [];
    private readonly List<Func<CancellationToken, Task>> _runners = [];
    private readonly List<Func<Task>> _synced = [];
    private readonly Lock _gate = new();
    private bool _started;

    public Informer<T> For<T>() where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }

            if (_started)
            {
                throw new InvalidOperationException($"the informer for {typeof(T).Name} was asked for after the informers started");
            }

            var informer = new Informer<T>(cache, InProcessClient.TypeOf<T>(), loggerFactory.CreateLogger<Informer<T>>());
            _informers[typeof(T)] = informer;
            _runners.Add(informer.RunAsync);
            _synced.Add(() => informer.Synced);
            return informer;
        }
    }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _started = true;
            return Task.WhenAll(_runners.Select(run => Task.Run(() => run(cancellationToken), cancellationToken)));
        }
    }

    /// <summary>Whether every informer has synced, without waiting.</summary>
    public bool HasSynced()
    {
        lock (_gate)
        {
            return _started && _synced.All(s => s().IsCompletedSuccessfully);
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.WhenAll(_synced.Select(s => s())).WaitAsync(cancellationToken);
        }
    }
}
