using System.Collections.Concurrent;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// kube's <c>provisionClaimOperation</c> with Gantry's local-path provisioner as its one in-tree plugin, and that plugin's
/// deleter. A class of any other provisioner outside <c>kubernetes.io/</c> is an external one, which kube only asks (the
/// claim's storage-provisioner annotations) and waits for; one inside it names no plugin Gantry has.
/// </summary>
internal sealed class LocalPathProvisioner(
    InProcessClient client, EventRecorder events, Informer<V1Node> nodes, Informer<V1Pod> pods, TimeProvider time, string component)
{
    /// <summary>
    /// How long a failed cleanup waits before its helper pod is made again: kube's operation back-off, from half a second
    /// doubling to at most 2m2s. A first failure is often a container of the claim's last pod still stopping.
    /// </summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(122);

    /// <summary>How long a helper pod may take before it is given up (rancher's default helper pod timeout).</summary>
    private static readonly TimeSpan HelperPodTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, TimeSpan Wait)> _failedCleanups = new(StringComparer.Ordinal);

    /// <summary><c>provisionClaimOperation</c> (and <c>provisionClaimOperationExternal</c>): events say what came of it.</summary>
    public async Task ProvisionAsync(V1PersistentVolumeClaim claim, string className, V1StorageClass? storageClass, CancellationToken cancellationToken)
    {
        if (storageClass is null)
        {
            Warn(claim, $"storageclass.storage.k8s.io \"{className}\" not found");
            return;
        }

        var provisioner = storageClass.Provisioner;
        if (provisioner != VolumeAnnotations.LocalPathProvisioner)
        {
            if (provisioner.StartsWith("kubernetes.io/", StringComparison.Ordinal))
            {
                Warn(claim, $"no volume plugin matched name: {provisioner}");
                return;
            }

            claim = await SetProvisionerAsync(claim, provisioner, cancellationToken).ConfigureAwait(false);
            events.Record(claim, "Normal", "ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. "
                + "If volume creation is delayed, please verify that the provisioner is running and correctly registered.", component);
            return;
        }

        claim = await SetProvisionerAsync(claim, provisioner, cancellationToken).ConfigureAwait(false);
        var name = LocalPathVolume.NameFor(claim);
        if (client.Registry.Get(InProcessClient.TypeOf<V1PersistentVolume>(), null, name) is not null)
        {
            // A previous sync provisioned it; the volume's sync binds it.
            return;
        }

        if (VolumeAnnotations.Get(claim.Metadata, VolumeAnnotations.SelectedNode) is not { } nodeName)
        {
            // The directory lives on one node, and without a pod scheduled there is none to choose (rancher's words).
            Warn(claim, $"Failed to provision volume with StorageClass \"{storageClass.Name()}\": configuration error, no node was specified");
            return;
        }

        if (nodes.Get(null, nodeName) is not { } node)
        {
            // kube's rescheduleProvisioning: without the annotation the scheduler may choose another node for the claim.
            Warn(claim, $"Failed to get target node: node \"{nodeName}\" not found");
            await client.MutateAsync<V1PersistentVolumeClaim>(claim.Namespace(), claim.Name(), c => c.Metadata.Annotations?.Remove(VolumeAnnotations.SelectedNode), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (LocalPathVolume.NodePathOf(storageClass) is null)
        {
            Warn(claim, $"Failed to provision volume with StorageClass \"{storageClass.Name()}\": {LocalPathVolume.NodePathParameter} must be an absolute path other than /");
            return;
        }

        try
        {
            await client.CreateAsync(LocalPathVolume.New(claim, storageClass, node), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            // Saved by a sync that raced this one: reused, as kube reuses an AlreadyExists volume.
            return;
        }

        events.Record(claim, "Normal", "ProvisioningSucceeded", $"Successfully provisioned volume {name} using {provisioner}", component);
    }

    /// <summary>
    /// One step of deleting a released volume this provisioner made: its helper pod made, or, once that pod succeeded,
    /// the volume and the pod deleted. Returns the failure to report on the volume, or null.
    /// </summary>
    public async Task<VolumeEvent?> DeleteAsync(V1PersistentVolume volume, V1StorageClass? storageClass, CancellationToken cancellationToken)
    {
        var name = volume.Name();
        var path = LocalPathVolume.PathOf(volume);
        var hostname = LocalPathVolume.HostnameOf(volume);
        if (path is null || hostname is null || path != LocalPathVolume.DirectoryOf(volume, storageClass))
        {
            // Never remove a directory the provisioner did not make (a volume annotated by hand, say).
            return Failure(name, $"volume path {path ?? "(none)"} on node {hostname ?? "(none)"} is not one this provisioner made");
        }

        var podName = LocalPathCleanup.PodName(name);
        var pod = pods.Get(LocalPathCleanup.Namespace, podName);
        if (pod is null)
        {
            if (_failedCleanups.TryGetValue(name, out var failed) && time.GetUtcNow() - failed.At < failed.Wait)
            {
                return null;
            }

            var nodeName = nodes.List(n => n.Metadata.Labels?.TryGetValue(LocalPathVolume.HostnameLabel, out var h) == true && h == hostname)
                .FirstOrDefault()?.Name() ?? hostname;
            try
            {
                await client.CreateAsync(LocalPathCleanup.Pod(volume, path, nodeName), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
            }

            return null;
        }

        switch (pod.Status?.Phase)
        {
            case "Succeeded":
                _failedCleanups.TryRemove(name, out _);
                await DeleteIgnoringMissingAsync<V1PersistentVolume>(null, name, cancellationToken).ConfigureAwait(false);
                await DeleteIgnoringMissingAsync<V1Pod>(LocalPathCleanup.Namespace, podName, cancellationToken).ConfigureAwait(false);
                return null;
            case "Failed":
                Failed(name);
                await DeleteIgnoringMissingAsync<V1Pod>(LocalPathCleanup.Namespace, podName, cancellationToken).ConfigureAwait(false);
                return Failure(name, $"helper pod {podName} failed");
            case var _ when time.GetUtcNow() - (pod.Metadata.CreationTimestamp ?? time.GetUtcNow().UtcDateTime) > HelperPodTimeout:
                // Its node gone or not ready: given up, and made again after the back-off.
                Failed(name);
                await DeleteIgnoringMissingAsync<V1Pod>(LocalPathCleanup.Namespace, podName, cancellationToken).ConfigureAwait(false);
                return Failure(name, $"helper pod {podName} did not finish within {HelperPodTimeout.TotalMinutes:0} minutes");
            default:
                return null;
        }
    }

    private void Failed(string volumeName) => _failedCleanups.AddOrUpdate(
        volumeName,
        _ => (time.GetUtcNow(), FirstRetry),
        (_, previous) => (time.GetUtcNow(), previous.Wait * 2 < LongestRetry ? previous.Wait * 2 : LongestRetry));

    private static VolumeEvent Failure(string volumeName, string why) => VolumeEvent.Warning("VolumeFailedDelete", $"failed to delete volume {volumeName}: {why}");

    /// <summary><c>setClaimProvisioner</c>: both the GA and the beta annotation name the provisioner asked.</summary>
    private async Task<V1PersistentVolumeClaim> SetProvisionerAsync(V1PersistentVolumeClaim claim, string provisioner, CancellationToken cancellationToken)
    {
        if (VolumeAnnotations.Get(claim.Metadata, VolumeAnnotations.StorageProvisioner) == provisioner)
        {
            return claim;
        }

        var copy = Registry.Rules.SemanticEquality.Clone(claim);
        VolumeAnnotations.Set(copy.Metadata, VolumeAnnotations.BetaStorageProvisioner, provisioner);
        VolumeAnnotations.Set(copy.Metadata, VolumeAnnotations.StorageProvisioner, provisioner);
        return await client.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteIgnoringMissingAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await client.DeleteAsync<T>(ns, name, new DeleteRequest(), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }

    private void Warn(V1PersistentVolumeClaim claim, string message) => events.Record(claim, "Warning", "ProvisioningFailed", message, component);
}
