using Gantry.Core.Volumes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// Kubernetes' ephemeral volume controller (<c>pkg/controller/volume/ephemeral</c>): for each generic ephemeral volume of
/// a pod, the claim <c>&lt;pod&gt;-&lt;volume&gt;</c> made from its <c>volumeClaimTemplate</c> and owned by the pod, so
/// that it is deleted with it. A claim of that name not made for the pod is left alone; the scheduler keeps the pod off
/// every node while that lasts.
/// </summary>
public sealed class EphemeralVolumeController : BackgroundService
{
    private const int Workers = 1;

    private readonly SharedInformers _informers;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public EphemeralVolumeController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<EphemeralVolumeController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _pods = informers.For<V1Pod>();
        _claims = informers.For<V1PersistentVolumeClaim>();
        _client = client;
        _events = events;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _pods.OnChange((_, current) =>
        {
            if (current is not null && HasEphemeralVolumes(current))
            {
                _queue.Add($"{current.Namespace()}/{current.Name()}");
            }
        });
        // A claim deleted under a pod that still runs is made again (kube's onPVCDelete).
        _claims.OnChange((old, current) =>
        {
            if (current is null && old is not null)
            {
                foreach (var pod in _pods.ListInNamespace(old.Namespace()).Where(p => HasEphemeralVolumes(p) && ClaimUse.Names(p, old.Name())))
                {
                    _queue.Add($"{pod.Namespace()}/{pod.Name()}");
                }
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing the ephemeral volumes of pod {Key} failed", key), stoppingToken);

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        if (_pods.Get(ns, name) is not { } pod || pod.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        foreach (var volume in pod.Spec.Volumes.Where(v => v.Ephemeral is not null))
        {
            var claimName = ClaimUse.ClaimNameOf(pod, volume)!;
            if (_claims.Get(ns, claimName) is not null)
            {
                continue;
            }

            try
            {
                await _client.CreateAsync(ClaimFor(pod, claimName, volume.Ephemeral.VolumeClaimTemplate), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code != 409)
            {
                _events.Record(pod, "Warning", "FailedBinding", $"PVC creation failed: {ex.Message}", "ephemeral_volume");
                throw;
            }
        }
    }

    /// <summary>kube's <c>handleVolume</c>: the template's labels, annotations and spec, the pod its controlling owner.</summary>
    public static V1PersistentVolumeClaim ClaimFor(V1Pod pod, string claimName, V1PersistentVolumeClaimTemplate template)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(template);
        var copy = KubernetesJson.Deserialize<V1PersistentVolumeClaimTemplate>(KubernetesJson.Serialize(template));
        return new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta
            {
                Name = claimName,
                NamespaceProperty = pod.Namespace(),
                Labels = copy.Metadata?.Labels,
                Annotations = copy.Metadata?.Annotations,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name(), Uid = pod.Uid(), Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = copy.Spec,
        };
    }

    private static bool HasEphemeralVolumes(V1Pod pod) => pod.Spec?.Volumes?.Any(v => v.Ephemeral is not null) == true;
}
