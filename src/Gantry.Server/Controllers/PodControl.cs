using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Creates and deletes the pods of a controller (Kubernetes' <c>RealPodControl</c>): pods are built
/// from the owner's template with a controller reference, creations ramp up in slow-start batches,
/// and each outcome is an event on the owner (<c>SuccessfulCreate</c>, <c>FailedCreate</c>,
/// <c>SuccessfulDelete</c>, <c>FailedDelete</c>). Expectations are lowered for every call that did
/// not happen, so the owner's next sync is not left waiting for it.
/// </summary>
/// <param name="component">The events' source, as kube's controllers name themselves (<c>replicaset-controller</c>, <c>job-controller</c>).</param>
public sealed class PodControl(InProcessClient client, EventRecorder events, ControllerExpectations expectations, string component)
{
    public static V1Pod FromTemplate(IKubernetesObject<V1ObjectMeta> owner, V1PodTemplateSpec template, Action<V1Pod>? customize = null)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = owner.Name() + "-",
                NamespaceProperty = owner.Namespace(),
                Labels = copy.Metadata?.Labels,
                Annotations = copy.Metadata?.Annotations,
                Finalizers = copy.Metadata?.Finalizers,
                OwnerReferences = [OwnerReferences.NewControllerRef(owner)],
            },
            Spec = copy.Spec,
        };
        customize?.Invoke(pod);
        return pod;
    }

    /// <summary>Creates <paramref name="count"/> pods; returns the first failure, if any.</summary>
    public async Task<Exception?> CreateAsync(
        string ownerKey, IKubernetesObject<V1ObjectMeta> owner, int count, Func<V1Pod> build, CancellationToken cancellationToken)
    {
        expectations.ExpectCreations(ownerKey, count);
        var (succeeded, error) = await SlowStart.RunAsync(count, async () =>
        {
            try
            {
                var created = await client.CreateAsync(build(), cancellationToken).ConfigureAwait(false);
                events.Record(owner, "Normal", "SuccessfulCreate", $"Created pod: {created.Name()}", component);
            }
            catch (ApiException ex)
            {
                expectations.CreationObserved(ownerKey);
                events.Record(owner, "Warning", "FailedCreate", $"Error creating: {ex.Message}", component);
                throw;
            }
        }).ConfigureAwait(false);

        // The calls never made are never observed.
        for (var skipped = count - succeeded - (error is null ? 0 : 1); skipped > 0; skipped--)
        {
            expectations.CreationObserved(ownerKey);
        }

        return error;
    }

    /// <summary>Deletes the pods concurrently; returns the first failure, if any (a pod already gone is not one).</summary>
    public async Task<Exception?> DeleteAsync(
        string ownerKey, IKubernetesObject<V1ObjectMeta> owner, IReadOnlyCollection<V1Pod> pods, CancellationToken cancellationToken)
    {
        expectations.ExpectDeletions(ownerKey, pods.Select(Key));
        var results = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await client.DeleteAsync<V1Pod>(pod.Namespace(), pod.Name(), new DeleteRequest(PreconditionUid: pod.Uid()), cancellationToken)
                    .ConfigureAwait(false);
                events.Record(owner, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Name()}", component);
                return null;
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                expectations.DeletionObserved(ownerKey, Key(pod));
                return null;
            }
            catch (ApiException ex)
            {
                expectations.DeletionObserved(ownerKey, Key(pod));
                events.Record(owner, "Warning", "FailedDelete", $"Error deleting: {ex.Message}", component);
                return (Exception)ex;
            }
        })).ConfigureAwait(false);
        return results.FirstOrDefault(e => e is not null);
    }

    public static string Key(V1Pod pod) => $"{pod.Namespace()}/{pod.Name()}";
}
