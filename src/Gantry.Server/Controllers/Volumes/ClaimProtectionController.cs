using Gantry.Core.Volumes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// Kubernetes' pvc-protection controller: keeps <c>kubernetes.io/pvc-protection</c> on every claim (kube's admission
/// adds it on create; this adds it to any claim without it), and removes it from a claim being deleted once no pod uses
/// it (<see cref="ProtectionFinalizers.ForClaim"/>), so a claim is not deleted from under a running pod. Queued by the
/// claim's changes and by the changes of the pods that name it.
/// </summary>
public sealed class ClaimProtectionController : BackgroundService
{
    private const int Workers = 1;

    private readonly SharedInformers _informers;
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public ClaimProtectionController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<ClaimProtectionController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _claims = informers.For<V1PersistentVolumeClaim>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _claims.OnChange((old, current) =>
        {
            if (current is not null)
            {
                _queue.Add($"{current.Namespace()}/{current.Name()}");
            }
        });
        _pods.OnChange((old, current) =>
        {
            var pod = (current ?? old)!;
            foreach (var claim in ClaimUse.ClaimsOf(pod))
            {
                _queue.Add($"{pod.Namespace()}/{claim}");
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing protection of PersistentVolumeClaim {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        if (_claims.Get(ns, name) is not { } claim)
        {
            return;
        }

        var change = ProtectionFinalizers.ForClaim(claim, _pods.ListInNamespace(ns));
        if (change == ProtectionFinalizers.Change.None)
        {
            return;
        }

        try
        {
            await _client.MutateAsync<V1PersistentVolumeClaim>(ns, name, current =>
            {
                current.Metadata.Finalizers = FinalizerList.With(current.Metadata.Finalizers, VolumeAnnotations.ClaimProtection, change);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }
}
