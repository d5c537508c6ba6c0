using Gantry.Core.Volumes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// Kubernetes' PersistentVolume controller (<c>pkg/controller/volume/persistentvolume</c>): binds claims to volumes in
/// both directions, keeps both sides' phases, provisions volumes for claims of a class whose provisioner is Gantry's
/// local-path one (<see cref="LocalPathProvisioner"/>), and reclaims released volumes by their policy. Claims and
/// volumes each have a queue, fed by their informers and by a resync of everything every 15 seconds (kube's
/// <c>--pvclaimbinder-sync-period</c>), which retries what waits on nothing it watches (a class created later, say).
/// </summary>
public sealed class PersistentVolumeController : BackgroundService
{
    public const string Component = "persistentvolume-controller";

    private const int Workers = 1;

    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(15);

    private readonly SharedInformers _informers;
    private readonly Informer<V1PersistentVolume> _volumes;
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly Informer<V1StorageClass> _classes;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly LocalPathProvisioner _localPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _claimQueue;
    private readonly WorkQueue<string> _volumeQueue;

    public PersistentVolumeController(
        SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<PersistentVolumeController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _volumes = informers.For<V1PersistentVolume>();
        _claims = informers.For<V1PersistentVolumeClaim>();
        _classes = informers.For<V1StorageClass>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _claimQueue = new WorkQueue<string>(time);
        _volumeQueue = new WorkQueue<string>(time);
        _localPath = new LocalPathProvisioner(client, events, informers.For<V1Node>(), _pods, time, Component);
        _volumes.OnChange((old, current) =>
        {
            _volumeQueue.Add((current ?? old)!.Name());
            // A deleted volume leaves its claim Lost (kube's deleteVolume).
            if (current is null && old!.Spec?.ClaimRef is { } reference)
            {
                _claimQueue.Add($"{reference.NamespaceProperty}/{reference.Name}");
            }
        });
        _claims.OnChange((old, current) =>
        {
            var claim = (current ?? old)!;
            _claimQueue.Add(Key(claim));
            // A deleted claim releases its volume (kube's deleteClaim).
            if (current is null && !string.IsNullOrEmpty(claim.Spec?.VolumeName))
            {
                _volumeQueue.Add(claim.Spec.VolumeName);
            }
        });
        // A cleanup pod's progress moves its volume's deletion on.
        _pods.OnChange((old, current) =>
        {
            if (LocalPathCleanup.VolumeOf((current ?? old)!) is { } volume)
            {
                _volumeQueue.Add(volume);
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _claimQueue.RunWhenSyncedAsync(
            _informers, Workers, RetryingConflicts(_claimQueue, SyncClaimAsync),
            (key, ex) => _logger.LogWarning(ex, "Syncing PersistentVolumeClaim {Key} failed", key), stoppingToken),
        _volumeQueue.RunWhenSyncedAsync(
            _informers, Workers, RetryingConflicts(_volumeQueue, SyncVolumeAsync),
            (key, ex) => _logger.LogWarning(ex, "Syncing PersistentVolume {Key} failed", key), stoppingToken),
        ResyncAsync(stoppingToken));

    /// <summary>
    /// A write made against what the informer held meets a newer object (the protection controllers write the same
    /// objects): synced again once the informer has caught up, which is routine and not worth a warning.
    /// </summary>
    private static Func<string, CancellationToken, Task> RetryingConflicts(WorkQueue<string> queue, Func<string, CancellationToken, Task> sync) =>
        async (key, cancellationToken) =>
        {
            try
            {
                await sync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                queue.Retry(key);
            }
        };

    /// <summary>kube's <c>syncClaim</c> for the claim named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncClaimAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        if (_claims.Get(ns, name) is not { } claim)
        {
            return;
        }

        if (await AssignDefaultClassAsync(claim, cancellationToken).ConfigureAwait(false))
        {
            // The update brings the claim back, with its class, to be bound.
            return;
        }

        var className = PersistentVolumeMatch.ClassOf(claim);
        var storageClass = className.Length > 0 ? _classes.Get(null, className) : null;
        switch (ClaimSync.Decide(claim, _volumes.List(), storageClass, UnscheduledPods(claim)))
        {
            case ClaimStep.Bind bind:
                await BindAsync(bind.Volume, claim, cancellationToken).ConfigureAwait(false);
                break;
            case ClaimStep.Pending pending:
                if (pending.Event is { } e)
                {
                    _events.Record(claim, e.Type, e.Reason, e.Message, Component);
                }

                await UpdateClaimStatusAsync(claim, "Pending", null, cancellationToken).ConfigureAwait(false);
                break;
            case ClaimStep.Provision:
                await _localPath.ProvisionAsync(claim, className, storageClass, cancellationToken).ConfigureAwait(false);
                break;
            case ClaimStep.Lost lost when claim.Status?.Phase != "Lost":
                // updateClaimStatusWithEvent: the event only as the phase changes.
                var written = await UpdateClaimStatusAsync(claim, "Lost", null, cancellationToken).ConfigureAwait(false);
                _events.Record(written, lost.Event.Type, lost.Event.Reason, lost.Event.Message, Component);
                break;
        }
    }

    /// <summary>kube's <c>syncVolume</c> for the volume named <paramref name="name"/>.</summary>
    internal async Task SyncVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (_volumes.Get(null, name) is not { } volume)
        {
            return;
        }

        var claim = ClaimOf(volume);
        switch (VolumeSync.Decide(volume, claim))
        {
            case VolumeStep.SetPhase set:
                await UpdateVolumePhaseAsync(volume, set.Phase, null, cancellationToken).ConfigureAwait(false);
                break;
            case VolumeStep.Release:
                if (volume.Status?.Phase is not (VolumeSync.Released or VolumeSync.Failed))
                {
                    volume = await UpdateVolumePhaseAsync(volume, VolumeSync.Released, null, cancellationToken).ConfigureAwait(false);
                }

                await ReclaimAsync(volume, cancellationToken).ConfigureAwait(false);
                break;
            case VolumeStep.SyncClaim { VolumeMismatch: { } toVolume, ClaimMismatch: { } toClaim }:
                _events.Record(volume, toVolume.Type, toVolume.Reason, toVolume.Message, Component);
                _events.Record(claim!, toClaim.Type, toClaim.Reason, toClaim.Message, Component);
                break;
            case VolumeStep.SyncClaim:
                // Provisioned or pre-bound volumes are bound from the claim's side; this speeds that up.
                _claimQueue.Add(Key(claim!));
                break;
            case VolumeStep.Unbind:
                var unbound = await _client.UpdateAsync(BindingWrites.Unbound(volume), cancellationToken).ConfigureAwait(false);
                await UpdateVolumePhaseAsync(unbound, VolumeSync.Available, null, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// kube's <c>assignDefaultStorageClass</c> (retroactive default storage class): an unbound claim made without a class,
    /// before any class was the default, is given the default class once there is one.
    /// </summary>
    private async Task<bool> AssignDefaultClassAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (claim.Spec?.StorageClassName is not null || !string.IsNullOrEmpty(claim.Spec?.VolumeName)
            || claim.Metadata.Annotations?.ContainsKey(PersistentVolumeClaimRules.BetaStorageClassAnnotation) == true
            || DefaultStorageClassAdmission.DefaultOf(_classes.List()) is not { } defaultClass)
        {
            return false;
        }

        await _client.MutateAsync<V1PersistentVolumeClaim>(claim.Namespace(), claim.Name(), c => c.Spec.StorageClassName ??= defaultClass.Name(), cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    /// <summary><c>reclaimVolume</c>.</summary>
    private async Task ReclaimAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        switch (Reclaim.Decide(volume))
        {
            case ReclaimStep.Fail fail:
                await FailAsync(volume, fail.Event, cancellationToken).ConfigureAwait(false);
                break;
            case ReclaimStep.DeleteLocalPath:
                // deleteVolumeOperation asks again, of what is stored rather than of the informers, whether the volume is
                // still released: what follows removes data on a node. A volume already being deleted has been cleaned.
                if (Stored<V1PersistentVolume>(null, volume.Name()) is { Metadata.DeletionTimestamp: null } stored
                    && VolumeSync.IsReleased(stored, stored.Spec?.ClaimRef is { } reference ? Stored<V1PersistentVolumeClaim>(reference.NamespaceProperty, reference.Name) : null)
                    && await _localPath.DeleteAsync(stored, _classes.Get(null, PersistentVolumeMatch.ClassOf(stored)), cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    await FailAsync(stored, failure, cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary><c>updateVolumePhaseWithEvent</c>: phase Failed, the message as its status message, the event only as it changes.</summary>
    private async Task FailAsync(V1PersistentVolume volume, VolumeEvent failure, CancellationToken cancellationToken)
    {
        if (volume.Status?.Phase == VolumeSync.Failed)
        {
            return;
        }

        var written = await UpdateVolumePhaseAsync(volume, VolumeSync.Failed, failure.Message, cancellationToken).ConfigureAwait(false);
        _events.Record(written, failure.Type, failure.Reason, failure.Message, Component);
    }

    /// <summary>
    /// kube's <c>bind</c>: the volume's <c>claimRef</c>, its phase, the claim's <c>volumeName</c>, then its status; each
    /// written only when it differs, so binding again what is bound writes nothing.
    /// </summary>
    private async Task BindAsync(V1PersistentVolume volume, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (BindingWrites.Volume(volume, claim) is { } boundVolume)
        {
            volume = await _client.UpdateAsync(boundVolume, cancellationToken).ConfigureAwait(false);
        }

        volume = await UpdateVolumePhaseAsync(volume, VolumeSync.Bound, null, cancellationToken).ConfigureAwait(false);
        if (BindingWrites.Claim(claim, volume) is { } boundClaim)
        {
            claim = await _client.UpdateAsync(boundClaim, cancellationToken).ConfigureAwait(false);
        }

        await UpdateClaimStatusAsync(claim, VolumeSync.Bound, volume, cancellationToken).ConfigureAwait(false);
    }

    private async Task<V1PersistentVolumeClaim> UpdateClaimStatusAsync(
        V1PersistentVolumeClaim claim, string phase, V1PersistentVolume? volume, CancellationToken cancellationToken) =>
        BindingWrites.ClaimStatus(claim, phase, volume) is { } changed
            ? await _client.UpdateAsync(changed, cancellationToken, "status").ConfigureAwait(false)
            : claim;

    private async Task<V1PersistentVolume> UpdateVolumePhaseAsync(V1PersistentVolume volume, string phase, string? message, CancellationToken cancellationToken)
    {
        if (volume.Status?.Phase == phase)
        {
            return volume;
        }

        var changed = SemanticEquality.Clone(volume);
        changed.Status ??= new V1PersistentVolumeStatus();
        changed.Status.Phase = phase;
        changed.Status.Message = message;
        return await _client.UpdateAsync(changed, cancellationToken, "status").ConfigureAwait(false);
    }

    /// <summary>The object as the store holds it now (the watch cache every read is served from), newer than any informer.</summary>
    private T? Stored<T>(string? ns, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        _client.Registry.Get(InProcessClient.TypeOf<T>(), ns, name) is { } cached
            ? KubernetesJson.Deserialize<T>(new MemoryStream(cached.Json, writable: false))
            : null;

    private V1PersistentVolumeClaim? ClaimOf(V1PersistentVolume volume) =>
        volume.Spec?.ClaimRef is { } reference ? _claims.Get(reference.NamespaceProperty, reference.Name) : null;

    /// <summary><c>findNonScheduledPodsByPVC</c>: the pods using the claim that have not ended and are not yet on a node.</summary>
    private List<string> UnscheduledPods(V1PersistentVolumeClaim claim) =>
    [
        .. _pods.ListInNamespace(claim.Namespace())
            .Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !PodState.IsTerminal(p) && ClaimUse.Names(p, claim.Name()))
            .Select(p => p.Name())
            .Order(StringComparer.Ordinal),
    ];

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ResyncPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var claim in _claims.List())
                {
                    _claimQueue.Add(Key(claim));
                }

                foreach (var volume in _volumes.List())
                {
                    _volumeQueue.Add(volume.Name());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static string Key(V1PersistentVolumeClaim claim) => $"{claim.Namespace()}/{claim.Name()}";
}
