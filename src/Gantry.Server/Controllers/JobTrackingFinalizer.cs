using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The finalizer kube's job controller puts on every pod it creates, <c>batch.kubernetes.io/job-tracking</c>: a finished
/// pod cannot disappear (deleted by podgc, by a user, with its node) before its job has counted it. The controller
/// records the pod's uid in <c>status.uncountedTerminatedPods</c>, removes the finalizer, then moves the uid into the
/// counts (<see cref="UncountedPods"/>).
/// </summary>
public static class JobTrackingFinalizer
{
    public const string Name = "batch.kubernetes.io/job-tracking";

    public static bool Has(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.Finalizers?.Contains(Name) == true;
    }

    /// <summary>Adds the finalizer to a pod about to be created, once.</summary>
    public static void Add(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!Has(pod))
        {
            pod.Metadata.Finalizers = [.. pod.Metadata.Finalizers ?? [], Name];
        }
    }

    /// <summary>
    /// Removes the finalizer from the stored pod. A pod already gone, or replaced by another of the same name, has nothing
    /// left to hold back, so that is no failure either.
    /// </summary>
    public static async Task RemoveAsync(InProcessClient client, V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            await client.MutateJsonAsync<V1Pod>(pod.Namespace(), pod.Name(), obj => Without(obj, pod.Uid()), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }

    private static JsonObject Without(JsonObject obj, string uid)
    {
        var finalizers = ObjectMetadata.Finalizers(obj);
        if (ObjectMetadata.Uid(obj) != uid || !finalizers.Remove(Name))
        {
            return obj;
        }

        if (finalizers.Count == 0)
        {
            ObjectMetadata.Of(obj).Remove("finalizers");
        }
        else
        {
            ObjectMetadata.Of(obj)["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode?)f)]);
        }

        return obj;
    }
}
