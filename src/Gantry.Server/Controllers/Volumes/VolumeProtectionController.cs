using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// Kubernetes' pv-protection controller: keeps <c>kubernetes.io/pv-protection</c> on every volume, and removes it from a
/// volume being deleted once it is no longer Bound (<see cref="ProtectionFinalizers.ForVolume"/>), so a volume in use
/// is not deleted from under its claim.
/// </summary>
public sealed class VolumeProtectionController : BackgroundService
{
    private const int Workers = 1;

    private readonly SharedInformers _informers;
    private readonly Informer<V1PersistentVolume> _volumes;
    private readonly InProcessClient _client;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public VolumeProtectionController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<VolumeProtectionController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _volumes = informers.For<V1PersistentVolume>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _volumes.OnChange((old, current) =>
        {
            if (current is not null)
            {
                _queue.Add(current.Name());
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing protection of PersistentVolume {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (_volumes.Get(null, name) is not { } volume)
        {
            return;
        }

        var change = ProtectionFinalizers.ForVolume(volume);
        if (change == ProtectionFinalizers.Change.None)
        {
            return;
        }

        try
        {
            await _client.MutateAsync<V1PersistentVolume>(null, name, current =>
            {
                current.Metadata.Finalizers = FinalizerList.With(current.Metadata.Finalizers, VolumeAnnotations.VolumeProtection, change);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }
}
