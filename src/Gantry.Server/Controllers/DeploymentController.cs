using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' deployment controller: each deployment owns one replica set per pod template; a
/// rollout grows the new one and shrinks the old ones within maxSurge/maxUnavailable (RollingUpdate)
/// or empties the old ones first (Recreate), numbering templates as revisions, honouring pause,
/// reporting progress against progressDeadlineSeconds, pruning history beyond revisionHistoryLimit,
/// and, when asked (<see cref="AutoRollback"/>), rolling back a rollout that timed out. The arithmetic
/// is in <see cref="RolloutMath"/>, <see cref="DeploymentRevisions"/> and <see cref="DeploymentStatusMath"/>.
/// </summary>
public sealed class DeploymentController : BackgroundService
{
    private const int Workers = 5;

    /// <summary>The source of its events, as kube names the controller.</summary>
    private const string Component = "deployment-controller";

    private readonly SharedInformers _informers;
    private readonly Informer<V1Deployment> _deployments;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentController> _logger;
    private readonly WorkQueue<string> _queue;

    public DeploymentController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<DeploymentController> logger)
    {
        _informers = informers;
        _deployments = informers.For<V1Deployment>();
        _replicaSets = informers.For<V1ReplicaSet>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _deployments.OnChange((old, current) => _queue.Add(Key(current ?? old!)));
        _replicaSets.OnChange(OnReplicaSetChange);
        _pods.OnChange(OnPodChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing deployment {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var cached = _deployments.Get(key[..slash], key[(slash + 1)..]);
        if (cached is null)
        {
            return;
        }

        var d = Clone(cached);
        var selector = SelectorOf(d);
        if (selector.IsEmpty)
        {
            _events.Record(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.", Component);
            if (d.Status?.ObservedGeneration < d.Metadata.Generation)
            {
                var status = Clone(d.Status);
                status.ObservedGeneration = d.Metadata.Generation;
                await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
            }

            return;
        }

        var owned = await ClaimReplicaSetsAsync(d, selector, ct).ConfigureAwait(false);
        if (d.Metadata.DeletionTimestamp is not null)
        {
            var (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: false, ct).ConfigureAwait(false);
            await SyncStatusAsync(d, All(newRs, oldRss), newRs, ct).ConfigureAwait(false);
            return;
        }

        await CheckPausedConditionsAsync(d, ct).ConfigureAwait(false);
        if (d.Spec.Paused == true || await IsScalingEventAsync(d, owned, ct).ConfigureAwait(false))
        {
            await SyncScaleAsync(d, owned, ct).ConfigureAwait(false);
            return;
        }

        if (d.Spec.Strategy?.Type == "Recreate")
        {
            await RolloutRecreateAsync(d, owned, selector, ct).ConfigureAwait(false);
        }
        else
        {
            await RolloutRollingAsync(d, owned, ct).ConfigureAwait(false);
        }
    }

    private async Task RolloutRollingAsync(V1Deployment d, List<V1ReplicaSet> owned, CancellationToken ct)
    {
        var (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: true, ct).ConfigureAwait(false);
        var all = All(newRs, oldRss);
        if (newRs is not null)
        {
            var desired = RolloutMath.Desired(d);
            var current = RolloutMath.SpecReplicas(newRs);
            var target = current > desired ? desired : RolloutMath.NewReplicaSetReplicas(d, all, newRs);
            if (target != current)
            {
                newRs = await ScaleAsync(d, newRs, target, ct).ConfigureAwait(false);
                await SyncRolloutStatusAsync(d, All(newRs, oldRss), newRs, oldRss, ct).ConfigureAwait(false);
                return;
            }
        }

        var sizes = RolloutMath.ScaleDownOld(d, newRs, oldRss);
        var scaledDown = false;
        for (var i = 0; i < oldRss.Count; i++)
        {
            if (sizes[oldRss[i].Name()] != RolloutMath.SpecReplicas(oldRss[i]))
            {
                oldRss[i] = await ScaleAsync(d, oldRss[i], sizes[oldRss[i].Name()], ct).ConfigureAwait(false);
                scaledDown = true;
            }
        }

        if (!scaledDown && DeploymentStatusMath.IsComplete(d, d.Status ?? new V1DeploymentStatus()))
        {
            await CleanupAsync(d, oldRss, ct).ConfigureAwait(false);
        }

        await SyncRolloutStatusAsync(d, All(newRs, oldRss), newRs, oldRss, ct).ConfigureAwait(false);
    }

    private async Task RolloutRecreateAsync(V1Deployment d, List<V1ReplicaSet> owned, LabelSelector selector, CancellationToken ct)
    {
        var (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: false, ct).ConfigureAwait(false);
        var scaledDown = false;
        for (var i = 0; i < oldRss.Count; i++)
        {
            if (RolloutMath.SpecReplicas(oldRss[i]) > 0)
            {
                oldRss[i] = await ScaleAsync(d, oldRss[i], 0, ct).ConfigureAwait(false);
                scaledDown = true;
            }
        }

        if (scaledDown || OldPodsRunning(d, newRs, oldRss, selector))
        {
            await SyncRolloutStatusAsync(d, All(newRs, oldRss), newRs, oldRss, ct).ConfigureAwait(false);
            return;
        }

        if (newRs is null)
        {
            (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: true, ct).ConfigureAwait(false);
        }

        if (newRs is not null && RolloutMath.SpecReplicas(newRs) != RolloutMath.Desired(d))
        {
            newRs = await ScaleAsync(d, newRs, RolloutMath.Desired(d), ct).ConfigureAwait(false);
        }
        else if (DeploymentStatusMath.IsComplete(d, d.Status ?? new V1DeploymentStatus()))
        {
            await CleanupAsync(d, oldRss, ct).ConfigureAwait(false);
        }

        await SyncRolloutStatusAsync(d, All(newRs, oldRss), newRs, oldRss, ct).ConfigureAwait(false);
    }

    /// <summary>Old pods still exist that are not finished: Recreate must wait for them (<c>oldPodsRunning</c>).</summary>
    private bool OldPodsRunning(V1Deployment d, V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss, LabelSelector selector)
    {
        if (oldRss.Sum(rs => rs.Status?.Replicas ?? 0) > 0)
        {
            return true;
        }

        var oldUids = oldRss.Select(rs => rs.Uid()).ToHashSet();
        return _pods.ListInNamespace(d.Namespace()).Any(p =>
            selector.Matches(p.Metadata) && OwnerReferences.ControllerOf(p.Metadata) is { } owner && owner.Uid != newRs?.Uid()
            && oldUids.Contains(owner.Uid) && !PodState.IsTerminal(p));
    }

    /// <summary>Scaling or pausing: resize the replica sets without rolling out (<c>sync</c>).</summary>
    private async Task SyncScaleAsync(V1Deployment d, List<V1ReplicaSet> owned, CancellationToken ct)
    {
        var (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: false, ct).ConfigureAwait(false);
        var all = All(newRs, oldRss);
        if (RolloutMath.FindActiveOrLatest(newRs, oldRss) is { } only)
        {
            if (RolloutMath.SpecReplicas(only) != RolloutMath.Desired(d))
            {
                await ScaleAsync(d, only, RolloutMath.Desired(d), ct).ConfigureAwait(false);
            }
        }
        else if (RolloutMath.IsSaturated(d, newRs))
        {
            foreach (var old in oldRss.Where(rs => RolloutMath.SpecReplicas(rs) > 0))
            {
                await ScaleAsync(d, old, 0, ct).ConfigureAwait(false);
            }
        }
        else if (RolloutMath.IsRollingUpdate(d))
        {
            var sizes = RolloutMath.ProportionalSizes(d, all);
            foreach (var rs in all.Where(rs => sizes.ContainsKey(rs.Name())))
            {
                await ScaleAsync(d, rs, sizes[rs.Name()], ct).ConfigureAwait(false);
            }
        }

        (newRs, oldRss) = Split(d, _replicaSets.ListInNamespace(d.Namespace()).Where(rs => OwnerReferences.IsControlledBy(rs.Metadata, d.Uid())));
        if (d.Spec.Paused == true)
        {
            await CleanupAsync(d, oldRss, ct).ConfigureAwait(false);
        }

        await SyncStatusAsync(d, All(newRs, oldRss), newRs, ct).ConfigureAwait(false);
    }

    /// <summary>An active replica set was sized for another replica count than the deployment's now (<c>isScalingEvent</c>).</summary>
    private async Task<bool> IsScalingEventAsync(V1Deployment d, List<V1ReplicaSet> owned, CancellationToken ct)
    {
        var (newRs, oldRss) = await ReplicaSetsAndSyncRevisionAsync(d, owned, create: false, ct).ConfigureAwait(false);
        return All(newRs, oldRss).Any(rs => RolloutMath.SpecReplicas(rs) > 0
            && DeploymentRevisions.DesiredReplicasAnnotation(rs) is { } desired && desired != RolloutMath.Desired(d));
    }

    /// <summary>
    /// Finds the new replica set (the deployment's template) and the old ones, brings the new one's
    /// revision up to date, and creates it when asked and missing (<c>getAllReplicaSetsAndSyncRevision</c>).
    /// </summary>
    private async Task<(V1ReplicaSet? New, List<V1ReplicaSet> Old)> ReplicaSetsAndSyncRevisionAsync(
        V1Deployment d, List<V1ReplicaSet> owned, bool create, CancellationToken ct)
    {
        var (existing, oldRss) = Split(d, owned);
        var newRevision = DeploymentRevisions.MaxRevision(oldRss) + 1;
        if (existing is not null)
        {
            var copy = Clone(existing);
            var annotationsChanged = DeploymentRevisions.SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
            if (annotationsChanged || copy.Spec.MinReadySeconds != d.Spec.MinReadySeconds)
            {
                var updated = await _client.MutateAsync<V1ReplicaSet>(copy.Namespace(), copy.Name(), rs =>
                {
                    rs.Metadata.Annotations = copy.Metadata.Annotations;
                    rs.Spec.MinReadySeconds = d.Spec.MinReadySeconds;
                }, ct).ConfigureAwait(false);
                Replace(owned, updated);
                return (updated, oldRss);
            }

            await SetDeploymentRevisionAsync(d, DeploymentRevisions.Revision(copy.Metadata), ct).ConfigureAwait(false);
            if (DeploymentStatusMath.HasProgressDeadline(d) && DeploymentStatusMath.Get(d.Status, DeploymentStatusMath.Progressing) is null)
            {
                var status = Clone(d.Status);
                DeploymentStatusMath.Set(status, DeploymentStatusMath.New(DeploymentStatusMath.Progressing, "True",
                    DeploymentStatusMath.FoundNewReplicaSetReason, $"Found new replica set \"{copy.Name()}\"", Now()));
                await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
            }

            return (copy, oldRss);
        }

        return create ? (await CreateNewReplicaSetAsync(d, owned, oldRss, newRevision, ct).ConfigureAwait(false), oldRss) : (null, oldRss);
    }

    private async Task<V1ReplicaSet?> CreateNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> owned, List<V1ReplicaSet> oldRss, long newRevision, CancellationToken ct)
    {
        var template = Clone(d.Spec.Template);
        var hash = DeploymentRevisions.PodTemplateHash(template, d.Status?.CollisionCount);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [DeploymentRevisions.PodTemplateHashLabel] = hash,
        };
        var selector = Clone(d.Spec.Selector);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>())
        {
            [DeploymentRevisions.PodTemplateHashLabel] = hash,
        };
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{d.Name()}-{hash}",
                NamespaceProperty = d.Namespace(),
                OwnerReferences = [OwnerReferences.NewControllerRef(d)],
                Labels = template.Metadata.Labels,
            },
            Spec = new V1ReplicaSetSpec { Replicas = 0, MinReadySeconds = d.Spec.MinReadySeconds, Selector = selector, Template = template },
        };
        rs.Spec.Replicas = RolloutMath.NewReplicaSetReplicas(d, [.. oldRss, rs], rs);
        DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, newRevision, exists: false);

        V1ReplicaSet created;
        var alreadyExisted = false;
        try
        {
            created = await _client.CreateAsync(rs, ct).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            var found = _replicaSets.Get(rs.Namespace(), rs.Name());
            if (found is null)
            {
                throw;
            }

            if (!OwnerReferences.IsControlledBy(found.Metadata, d.Uid()) || !DeploymentRevisions.EqualIgnoreHash(d.Spec.Template, found.Spec?.Template))
            {
                // A hash collision: another template has this name. Count it, which changes the hash, and retry.
                var status = Clone(d.Status);
                status.CollisionCount = (status.CollisionCount ?? 0) + 1;
                await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
                throw;
            }

            created = found;
            alreadyExisted = true;
        }
        catch (ApiException ex)
        {
            var message = $"Failed to create new replica set \"{rs.Name()}\": {ex.Message}";
            if (DeploymentStatusMath.HasProgressDeadline(d))
            {
                var status = Clone(d.Status);
                DeploymentStatusMath.Set(status, DeploymentStatusMath.New(DeploymentStatusMath.Progressing, "False",
                    DeploymentStatusMath.FailedReplicaSetCreateReason, message, Now()));
                await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
            }

            _events.Record(d, "Warning", DeploymentStatusMath.FailedReplicaSetCreateReason, message, Component);
            throw;
        }

        owned.Add(created);
        if (!alreadyExisted && RolloutMath.SpecReplicas(created) > 0)
        {
            _events.Record(d, "Normal", "ScalingReplicaSet", $"Scaled up replica set {created.Name()} to {RolloutMath.SpecReplicas(created)}", Component);
        }

        await SetDeploymentRevisionAsync(d, newRevision, ct).ConfigureAwait(false);
        if (!alreadyExisted && DeploymentStatusMath.HasProgressDeadline(d))
        {
            var status = Clone(d.Status);
            DeploymentStatusMath.Set(status, DeploymentStatusMath.New(DeploymentStatusMath.Progressing, "True",
                DeploymentStatusMath.NewReplicaSetReason, $"Created new replica set \"{created.Name()}\"", Now()));
            await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>Sets the replica set's size and the replica annotations; records ScalingReplicaSet when the size changed.</summary>
    private async Task<V1ReplicaSet> ScaleAsync(V1Deployment d, V1ReplicaSet rs, int size, CancellationToken ct)
    {
        var desired = RolloutMath.Desired(d);
        var max = desired + RolloutMath.MaxSurge(d);
        var old = RolloutMath.SpecReplicas(rs);
        var probe = Clone(rs);
        if (old == size && !DeploymentRevisions.SetReplicasAnnotations(probe, desired, max))
        {
            return rs;
        }

        var updated = await _client.MutateAsync<V1ReplicaSet>(rs.Namespace(), rs.Name(), current =>
        {
            current.Spec.Replicas = size;
            DeploymentRevisions.SetReplicasAnnotations(current, desired, max);
        }, ct).ConfigureAwait(false);
        if (old != size)
        {
            var direction = size > old ? "up" : "down";
            _events.Record(d, "Normal", "ScalingReplicaSet", $"Scaled {direction} replica set {rs.Name()} to {size} from {old}", Component);
        }

        return updated;
    }

    /// <summary>Deletes the oldest empty replica sets beyond revisionHistoryLimit (<c>cleanupDeployment</c>).</summary>
    private async Task CleanupAsync(V1Deployment d, List<V1ReplicaSet> oldRss, CancellationToken ct)
    {
        if (d.Spec.RevisionHistoryLimit is not { } limit)
        {
            return;
        }

        var cleanable = oldRss.Where(rs => rs.Metadata.DeletionTimestamp is null)
            .OrderBy(rs => DeploymentRevisions.Revision(rs.Metadata)).ThenBy(rs => rs.Metadata.CreationTimestamp).ToList();
        var excess = cleanable.Count - limit;
        foreach (var rs in cleanable.Take(Math.Max(0, excess)))
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || RolloutMath.SpecReplicas(rs) != 0 || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            try
            {
                await _client.DeleteAsync<V1ReplicaSet>(rs.Namespace(), rs.Name(), new DeleteRequest(PropagationPolicy: "Background", PreconditionUid: rs.Uid()), ct)
                    .ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
            }
        }
    }

    private async Task SyncRolloutStatusAsync(V1Deployment d, List<V1ReplicaSet> all, V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss, CancellationToken ct)
    {
        var now = Now();
        var status = DeploymentStatusMath.RolloutStatus(d, all, newRs, now);
        if (DeploymentStatusMath.Differs(d.Status, status))
        {
            await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
        }

        if (AutoRollback.Target(d, status, newRs, oldRss) is { } target)
        {
            await RollBackAsync(d, newRs!, target, ct).ConfigureAwait(false);
            return;
        }

        if (DeploymentStatusMath.RecheckAfter(d, status, now) is { } after)
        {
            _queue.AddAfter(Key(d), after);
        }
    }

    private async Task RollBackAsync(V1Deployment d, V1ReplicaSet failed, V1ReplicaSet target, CancellationToken ct)
    {
        var failedRevision = DeploymentRevisions.Revision(failed.Metadata);
        await _client.MutateAsync<V1ReplicaSet>(failed.Namespace(), failed.Name(), rs => AutoRollback.Mark(rs, failedRevision), ct).ConfigureAwait(false);
        var (template, annotations) = DeploymentRevisions.RollbackTarget(d, target);
        await _client.MutateAsync<V1Deployment>(d.Namespace(), d.Name(), current =>
        {
            current.Spec.Template = template;
            current.Metadata.Annotations = annotations;
        }, ct).ConfigureAwait(false);
        _events.Record(d, "Normal", "DeploymentRollback", AutoRollback.Message(d, failed, target), Component);
    }

    private async Task SyncStatusAsync(V1Deployment d, List<V1ReplicaSet> all, V1ReplicaSet? newRs, CancellationToken ct)
    {
        var status = DeploymentStatusMath.Calculate(d, all, newRs, Now());
        if (DeploymentStatusMath.Differs(d.Status, status))
        {
            await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Progressing=Unknown with DeploymentPaused/DeploymentResumed, so a paused rollout never times out (<c>checkPausedConditions</c>).</summary>
    private async Task CheckPausedConditionsAsync(V1Deployment d, CancellationToken ct)
    {
        if (!DeploymentStatusMath.HasProgressDeadline(d))
        {
            return;
        }

        var condition = DeploymentStatusMath.Get(d.Status, DeploymentStatusMath.Progressing);
        if (condition?.Reason == DeploymentStatusMath.TimedOutReason)
        {
            return;
        }

        var pausedReported = condition?.Reason == DeploymentStatusMath.PausedReason;
        var paused = d.Spec.Paused == true;
        if (paused == pausedReported)
        {
            return;
        }

        var status = Clone(d.Status);
        DeploymentStatusMath.Set(status, paused
            ? DeploymentStatusMath.New(DeploymentStatusMath.Progressing, "Unknown", DeploymentStatusMath.PausedReason, "Deployment is paused", Now())
            : DeploymentStatusMath.New(DeploymentStatusMath.Progressing, "Unknown", DeploymentStatusMath.ResumedReason, "Deployment is resumed", Now()));
        await WriteStatusAsync(d, status, ct).ConfigureAwait(false);
    }

    private async Task SetDeploymentRevisionAsync(V1Deployment d, long revision, CancellationToken ct)
    {
        var text = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (revision == 0 || DeploymentRevisions.ValueOf(d.Metadata.Annotations, DeploymentRevisions.RevisionAnnotation) == text)
        {
            return;
        }

        var updated = await _client.MutateAsync<V1Deployment>(d.Namespace(), d.Name(), current =>
        {
            current.Metadata.Annotations ??= new Dictionary<string, string>();
            current.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation] = text;
        }, ct).ConfigureAwait(false);
        d.Metadata.Annotations = updated.Metadata.Annotations;
    }

    private async Task WriteStatusAsync(V1Deployment d, V1DeploymentStatus status, CancellationToken ct)
    {
        await _client.MutateAsync<V1Deployment>(d.Namespace(), d.Name(), current => current.Status = status, ct, "status").ConfigureAwait(false);
        d.Status = status;
    }

    /// <summary>The replica sets this deployment controls, adopting matching orphans and releasing those that stopped matching.</summary>
    private async Task<List<V1ReplicaSet>> ClaimReplicaSetsAsync(V1Deployment d, LabelSelector selector, CancellationToken ct)
    {
        var owned = new List<V1ReplicaSet>();
        var deleting = d.Metadata.DeletionTimestamp is not null;
        foreach (var rs in _replicaSets.ListInNamespace(d.Namespace()))
        {
            var controller = OwnerReferences.ControllerOf(rs.Metadata);
            var matches = selector.Matches(rs.Metadata);
            if (controller is not null)
            {
                if (controller.Uid != d.Uid())
                {
                    continue;
                }

                if (matches)
                {
                    owned.Add(rs);
                }
                else if (!deleting)
                {
                    await TryMutateAsync(rs, current =>
                        current.Metadata.OwnerReferences = OwnerReferences.Without(current.Metadata, d.Uid()), ct).ConfigureAwait(false);
                }

                continue;
            }

            if (matches && !deleting && rs.Metadata.DeletionTimestamp is null)
            {
                var adopted = await TryMutateAsync(rs, current =>
                {
                    if (OwnerReferences.ControllerOf(current.Metadata) is null)
                    {
                        current.Metadata.OwnerReferences = [.. current.Metadata.OwnerReferences ?? [], OwnerReferences.NewControllerRef(d)];
                    }
                }, ct).ConfigureAwait(false);
                if (adopted is not null && OwnerReferences.IsControlledBy(adopted.Metadata, d.Uid()))
                {
                    owned.Add(adopted);
                }
            }
        }

        return owned;
    }

    private async Task<V1ReplicaSet?> TryMutateAsync(V1ReplicaSet rs, Action<V1ReplicaSet> mutate, CancellationToken ct)
    {
        try
        {
            return await _client.MutateAsync(rs.Namespace(), rs.Name(), mutate, ct).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409 or 422)
        {
            return null;
        }
    }

    private void OnReplicaSetChange(V1ReplicaSet? old, V1ReplicaSet? current)
    {
        var rs = current ?? old!;
        if (OwnerReferences.ControllerOf(rs.Metadata) is { Kind: "Deployment" } owner)
        {
            _queue.Add($"{rs.Namespace()}/{owner.Name}");
        }
        else if (current is not null)
        {
            foreach (var d in _deployments.ListInNamespace(rs.Namespace()).Where(d => SelectorOf(d).Matches(rs.Metadata)))
            {
                _queue.Add(Key(d));
            }
        }

        if (old is not null && OwnerReferences.ControllerOf(old.Metadata) is { Kind: "Deployment" } previous && previous.Uid != OwnerReferences.ControllerOf(rs.Metadata)?.Uid)
        {
            _queue.Add($"{old.Namespace()}/{previous.Name}");
        }
    }

    /// <summary>A Recreate rollout waits for the old pods to be gone: their deletion is news.</summary>
    private void OnPodChange(V1Pod? old, V1Pod? current)
    {
        if (current is not null || OwnerReferences.ControllerOf(old!.Metadata) is not { Kind: "ReplicaSet" } owner)
        {
            return;
        }

        if (_replicaSets.Get(old.Namespace(), owner.Name) is { } rs && OwnerReferences.ControllerOf(rs.Metadata) is { Kind: "Deployment" } deployment)
        {
            _queue.Add($"{rs.Namespace()}/{deployment.Name}");
        }
    }

    private static (V1ReplicaSet? New, List<V1ReplicaSet> Old) Split(V1Deployment d, IEnumerable<V1ReplicaSet> owned)
    {
        var list = owned.ToList();
        var newRs = DeploymentRevisions.FindNew(d, list);
        return (newRs, list.Where(rs => rs.Uid() != newRs?.Uid()).ToList());
    }

    private static void Replace(List<V1ReplicaSet> owned, V1ReplicaSet updated)
    {
        var index = owned.FindIndex(rs => rs.Uid() == updated.Uid());
        if (index >= 0)
        {
            owned[index] = updated;
        }
    }

    private static List<V1ReplicaSet> All(V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss) => newRs is null ? [.. oldRss] : [.. oldRss, newRs];

    private static LabelSelector SelectorOf(V1Deployment d)
    {
        try
        {
            return LabelSelector.FromModel(d.Spec?.Selector);
        }
        catch (SelectorParseException)
        {
            return LabelSelector.Nothing;
        }
    }

    /// <summary>Whole seconds, as metav1.Time stores them.</summary>
    private DateTime Now()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static string Key(V1Deployment d) => $"{d.Namespace()}/{d.Name()}";

    private static T Clone<T>(T? value) where T : class, new() =>
        value is null ? new T() : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
