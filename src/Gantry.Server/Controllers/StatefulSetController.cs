using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' StatefulSet controller (<c>pkg/controller/statefulset</c>): pods with a stable identity, one per ordinal,
/// created in order and each only once those before it are ready (OrderedReady) or all at once (Parallel), removed from
/// the highest ordinal down, and replaced from the highest ordinal down when the template changes (RollingUpdate,
/// above the partition) or only when deleted (OnDelete). Each template is kept as a ControllerRevision, whose name
/// labels the pods made from it, for <c>kubectl rollout history</c> and <c>undo</c>.
/// </summary>
public sealed class StatefulSetController : BackgroundService
{
    private const string Component = "statefulset-controller";
    private const int Workers = 2;

    private readonly SharedInformers _informers;
    private readonly Informer<V1StatefulSet> _sets;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly StatefulPodControl _podControl;
    private readonly PodClaims _claims;
    private readonly StatefulSetHistory _history;
    private readonly TimeProvider _time;
    private readonly ILogger<StatefulSetController> _logger;
    private readonly WorkQueue<string> _queue;

    public StatefulSetController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<StatefulSetController> logger)
    {
        _informers = informers;
        _sets = informers.For<V1StatefulSet>();
        _pods = informers.For<V1Pod>();
        PodsByController.AddTo(_pods);
        var revisions = informers.For<V1ControllerRevision>();
        _client = client;
        _time = time;
        _logger = logger;
        _podControl = new StatefulPodControl(client, events, informers.For<V1PersistentVolumeClaim>(), Component);
        _claims = new PodClaims(client);
        _history = new StatefulSetHistory(revisions, client);
        _queue = new WorkQueue<string>(time);
        _sets.OnChange((old, current) => _queue.Add(KeyOf(current ?? old!)));

        // The set keeps no expectations (kube's does not): a pod it wrote and the informer has not shown yet fails to be
        // created again with AlreadyExists, and the sync is retried.
        _pods.OnChange(new ControlledPodEvents<V1StatefulSet>(_sets, new ControllerExpectations(time), _queue, SelectorOf, s => s.Spec?.MinReadySeconds ?? 0).OnPodChange);
        revisions.OnChange(new ControlledRevisionEvents<V1StatefulSet>(_sets, _queue, SelectorOf).OnRevisionChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing StatefulSet {Key} failed", key), stoppingToken);

    /// <summary>One reconcile of the StatefulSet named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (_sets.Get(key[..slash], key[(slash + 1)..]) is not { Spec.Template: not null } set)
        {
            return;
        }

        var selector = SelectorOf(set);
        var history = await _history.ConstructAsync(set, selector, cancellationToken).ConfigureAwait(false);
        var pods = await _claims.ClaimAsync(set, selector, PodsByController.OwnedOrOrphans(_pods, set), cancellationToken, p => StatefulPods.IsMemberOf(set, p))
            .ConfigureAwait(false);
        var (steps, status) = StatefulSetPlan.Make(set, history, pods, _time.GetUtcNow());
        Exception? error = null;
        foreach (var step in steps)
        {
            try
            {
                await _podControl.RunAsync(set, step, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex)
            {
                error = ex;
                break;
            }
        }

        await UpdateStatusAsync(set, status, cancellationToken).ConfigureAwait(false);
        await _history.TruncateAsync(set, history, pods, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error;
        }

        // Ready pods become available after minReadySeconds with no event to say so: look again then.
        if (set.Spec.MinReadySeconds is > 0 and var minReady && status.AvailableReplicas != (set.Spec.Replicas ?? 1))
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }
    }

    /// <summary><c>updateStatefulSetStatus</c>: a finished rolling update made current, then written only when it changed.</summary>
    private async Task UpdateStatusAsync(V1StatefulSet set, V1StatefulSetStatus status, CancellationToken cancellationToken)
    {
        StatefulSetStatuses.CompleteRollingUpdate(set, status);
        if (!StatefulSetStatuses.Inconsistent(set, status))
        {
            return;
        }

        try
        {
            await _client.MutateAsync<V1StatefulSet>(set.Namespace(), set.Name(), current =>
            {
                // Conditions are not the controller's to count; it keeps what is there.
                status.Conditions = current.Status?.Conditions;

                // These counts are omitempty in apps/v1 (availableReplicas and replicas are not), so a zero is not written.
                status.ReadyReplicas = OmitZero(status.ReadyReplicas);
                status.CurrentReplicas = OmitZero(status.CurrentReplicas);
                status.UpdatedReplicas = OmitZero(status.UpdatedReplicas);
                current.Status = status;
            }, cancellationToken, "status").ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }

    private static int? OmitZero(int? value) => value == 0 ? null : value;

    private static LabelSelector SelectorOf(V1StatefulSet set) => LabelSelector.FromModelOrNothing(set.Spec?.Selector);

    private static string KeyOf(V1StatefulSet set) => $"{set.Namespace()}/{set.Name()}";
}
