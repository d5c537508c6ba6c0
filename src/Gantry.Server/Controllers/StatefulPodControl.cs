using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kube's <c>StatefulPodControl</c>: takes a <see cref="StatefulSetStep"/> and records its outcome on the set in kube's
/// words (<c>SuccessfulCreate</c>: "create Pod web-0 in StatefulSet web successful"; <c>FailedCreate</c>: "… failed
/// error: …"). Gantry serves no PersistentVolumeClaims, so a pod whose set has volumeClaimTemplates is never created:
/// its claims cannot be, which kube reports as the claim's and then the pod's FailedCreate.
/// </summary>
public sealed class StatefulPodControl(InProcessClient client, EventRecorder events, string component)
{
    /// <summary>What creating a claim answers, as client-go words a 404 for a resource the server does not serve.</summary>
    public const string ClaimsNotServed = "the server could not find the requested resource (post persistentvolumeclaims)";

    /// <exception cref="ApiException">The write failed (a pod already there included); the set is synced again later.</exception>
    public Task RunAsync(V1StatefulSet set, StatefulSetStep step, CancellationToken cancellationToken) => step.Action switch
    {
        StatefulPodAction.Create => CreateAsync(set, step.Pod, cancellationToken),
        StatefulPodAction.Delete => DeleteAsync(set, step.Pod, cancellationToken),
        _ => UpdateAsync(set, step.Pod, cancellationToken),
    };

    /// <summary><c>CreateStatefulPod</c>: the pod's claims first, then the pod; an AlreadyExists is returned without an event.</summary>
    private async Task CreateAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        if (set.Spec.VolumeClaimTemplates is { Count: > 0 } templates)
        {
            var failures = new List<string>();
            foreach (var claim in templates)
            {
                var name = $"{claim.Name()}-{pod.Name()}";
                failures.Add($"failed to create PVC {name}: {ClaimsNotServed}");
                events.Record(set, "Warning", "FailedCreate",
                    $"create Claim {name} for Pod {pod.Name()} in StatefulSet {set.Name()} failed error: {ClaimsNotServed}", component);
            }

            var error = failures.Count == 1 ? failures[0] : $"[{string.Join(", ", failures)}]";
            events.Record(set, "Warning", "FailedCreate", $"create Pod {pod.Name()} in StatefulSet {set.Name()} failed error: {error}", component);
            throw ApiException.NotFound(error);
        }

        try
        {
            await client.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code != 409)
        {
            Record("create", set, pod, ex);
            throw;
        }

        Record("create", set, pod, null);
    }

    /// <summary><c>DeleteStatefulPod</c>; a pod already gone is not an error (kube ignores NotFound where it deletes).</summary>
    private async Task DeleteAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync<V1Pod>(pod.Namespace(), pod.Name(), new DeleteRequest(PreconditionUid: pod.Uid()), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            Record("delete", set, pod, ex);
            return;
        }
        catch (ApiException ex)
        {
            Record("delete", set, pod, ex);
            throw;
        }

        Record("delete", set, pod, null);
    }

    /// <summary><c>UpdateStatefulPod</c>: writes the identity labels the step's copy of the pod carries.</summary>
    private async Task UpdateAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), current =>
            {
                var labels = current.Metadata.Labels ??= new Dictionary<string, string>();
                foreach (var (key, value) in pod.Metadata.Labels ?? new Dictionary<string, string>())
                {
                    labels[key] = value;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            Record("update", set, pod, ex);
            throw;
        }

        Record("update", set, pod, null);
    }

    /// <summary><c>recordPodEvent</c>.</summary>
    private void Record(string verb, V1StatefulSet set, V1Pod pod, ApiException? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        if (error is null)
        {
            events.Record(set, "Normal", $"Successful{title}", $"{verb} Pod {pod.Name()} in StatefulSet {set.Name()} successful", component);
        }
        else
        {
            events.Record(set, "Warning", $"Failed{title}", $"{verb} Pod {pod.Name()} in StatefulSet {set.Name()} failed error: {error.Message}", component);
        }
    }
}
