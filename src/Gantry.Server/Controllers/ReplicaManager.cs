using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' ReplicaSet controller, shared by ReplicaSets and ReplicationControllers: keeps exactly
/// <c>spec.replicas</c> active pods matching the selector, adopting matching orphans and releasing
/// owned pods that stopped matching, and reports the counts in the status. Expectations keep a sync
/// from acting on an informer that has not yet seen the controller's own creations and deletions.
/// </summary>
public abstract class ReplicaManager<T> : BackgroundService where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>At most this many pods are created or deleted by one sync (<c>BurstReplicas</c>).</summary>
    public const int BurstReplicas = 500;

    private const int Workers = 5;

    private readonly SharedInformers _informers;
    private readonly Informer<T> _owners;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly ControllerExpectations _expectations;
    private readonly PodControl _podControl;
    private readonly PodClaims _claims;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;
    private readonly string _kind;

    /// <param name="component">The source of the controller's events, as kube names the controller.</param>
    protected ReplicaManager(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger logger, string component)
    {
        _informers = informers;
        _owners = informers.For<T>();
        _pods = informers.For<V1Pod>();
        PodsByController.AddTo(_pods);
        _client = client;
        _time = time;
        _logger = logger;
        _kind = InProcessClient.TypeOf<T>().Kind;
        _expectations = new ControllerExpectations(time);
        _podControl = new PodControl(client, events, _expectations, component);
        _claims = new PodClaims(client);
        _queue = new WorkQueue<string>(time);
        _owners.OnChange(OnOwnerChange);
        _pods.OnChange(new ControlledPodEvents<T>(_owners, _expectations, _queue, Selector, MinReadySeconds).OnPodChange);
    }

    protected abstract LabelSelector Selector(T owner);

    protected abstract int DesiredReplicas(T owner);

    protected abstract V1PodTemplateSpec? Template(T owner);

    protected abstract int MinReadySeconds(T owner);

    protected abstract ReplicaCounts CurrentStatus(T owner);

    /// <summary>Writes the counts and the <c>ReplicaFailure</c> condition into the owner's status.</summary>
    protected abstract void ApplyStatus(T owner, ReplicaCounts counts, DateTime now);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing {Kind} {Key} failed", _kind, key), stoppingToken);

    /// <summary>One reconcile of the owner named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var owner = _owners.Get(ns, name);
        if (owner is null)
        {
            _expectations.Forget(key);
            return;
        }

        var needsSync = _expectations.Satisfied(key);
        var selector = Selector(owner);
        var active = PodsByController.OwnedOrOrphans(_pods, owner).Where(PodState.IsActive).ToList();
        var claimed = await _claims.ClaimAsync(owner, selector, active, cancellationToken).ConfigureAwait(false);

        Exception? error = null;
        if (needsSync && owner.Metadata.DeletionTimestamp is null && Template(owner) is { } template)
        {
            error = await ManageReplicasAsync(key, owner, template, claimed, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var minReady = MinReadySeconds(owner);
        var counts = ReplicaCounts.Compute(claimed, Template(owner)?.Metadata?.Labels, minReady, owner.Metadata.Generation ?? 0, now) with
        {
            FailureReason = error is null ? null : error is DeleteFailure ? "FailedDelete" : "FailedCreate",
            FailureMessage = (error as DeleteFailure)?.InnerException?.Message ?? error?.Message,
        };
        if (counts != CurrentStatus(owner))
        {
            try
            {
                await _client.MutateAsync<T>(ns, name, o => ApplyStatus(o, counts, now.UtcDateTime), cancellationToken, "status").ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                return;
            }
        }

        if (error is null && minReady > 0 && counts.ReadyReplicas == DesiredReplicas(owner) && counts.AvailableReplicas != counts.ReadyReplicas)
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (error is not null)
        {
            throw error;
        }
    }

    private async Task<Exception?> ManageReplicasAsync(string key, T owner, V1PodTemplateSpec template, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var diff = pods.Count - DesiredReplicas(owner);
        if (diff < 0)
        {
            var count = Math.Min(-diff, BurstReplicas);
            return await _podControl.CreateAsync(key, owner, count, () => PodControl.FromTemplate(owner, template), cancellationToken).ConfigureAwait(false);
        }

        if (diff > 0)
        {
            var victims = PodDeletionOrder.Rank(pods).Take(Math.Min(diff, BurstReplicas)).ToList();
            var failure = await _podControl.DeleteAsync(key, owner, victims, cancellationToken).ConfigureAwait(false);
            return failure is null ? null : new DeleteFailure(failure);
        }

        return null;
    }

    private void OnOwnerChange(T? old, T? current)
    {
        if (current is null)
        {
            _expectations.Forget(KeyOf(old!));
            _queue.Add(KeyOf(old!));
            return;
        }

        _queue.Add(KeyOf(current));
    }

    internal static string KeyOf(T obj) => $"{obj.Namespace()}/{obj.Name()}";

    internal static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Marks a sync failure as one of deleting, for the <c>FailedDelete</c> reason.</summary>
    private sealed class DeleteFailure(Exception inner) : Exception(inner.Message, inner);
}
