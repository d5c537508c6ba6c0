using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kube's <c>StatefulPodControl</c>: takes a <see cref="StatefulSetStep"/> and records its outcome on the set in kube's
/// words (<c>SuccessfulCreate</c>: "create Pod web-0 in StatefulSet web successful"; <c>FailedCreate</c>: "… failed
/// error: …"). A pod's claims (<see cref="StatefulClaims"/>) are created before it, and their owner references kept as the
/// set's retention policy asks, after the pod is created and before a pod is deleted.
/// </summary>
public sealed class StatefulPodControl(InProcessClient client, EventRecorder events, Informer<V1PersistentVolumeClaim> claims, string component)
{
    /// <exception cref="ApiException">The write failed (a pod already there included); the set is synced again later.</exception>
    public Task RunAsync(V1StatefulSet set, StatefulSetStep step, CancellationToken cancellationToken) => step.Action switch
    {
        StatefulPodAction.Create => CreateAsync(set, step.Pod, cancellationToken),
        StatefulPodAction.Delete => DeleteAsync(set, step.Pod, cancellationToken),
        StatefulPodAction.CreateMissingClaims => CreateMissingClaimsAsync(set, step.Pod, cancellationToken),
        StatefulPodAction.UpdateClaimOwners => UpdateClaimOwnersRecordedAsync(set, step.Pod, cancellationToken),
        _ => UpdateAsync(set, step.Pod, cancellationToken),
    };

    /// <summary>
    /// <c>CreateStatefulPod</c>: the pod's claims first, then the pod, then the claims' owners for the retention policy; an
    /// AlreadyExists is returned without an event.
    /// </summary>
    private async Task CreateAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        if (await CreateClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            Record("create", set, pod, failed);
            throw failed;
        }

        V1Pod created;
        try
        {
            created = await client.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code != 409)
        {
            Record("create", set, pod, ex);
            throw;
        }

        try
        {
            await UpdateClaimOwnersAsync(set, created, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            Record("update", set, pod, ex);
            throw;
        }

        Record("create", set, pod, null);
    }

    private async Task UpdateClaimOwnersRecordedAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateClaimOwnersAsync(set, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            Record("update", set, pod, ex);
            throw;
        }
    }

    /// <summary><c>createMissingPersistentVolumeClaims</c>: nothing is written while every claim exists.</summary>
    private async Task CreateMissingClaimsAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        if (await CreateClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            throw failed;
        }
    }

    /// <summary>
    /// <c>createPersistentVolumeClaims</c>: each claim the pod needs that does not exist is created (an existing one is
    /// used as it is, unless it is being deleted); the failures, in kube's words, or null when there were none.
    /// </summary>
    private async Task<ApiException?> CreateClaimsAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var code = 500;
        foreach (var (_, claim) in StatefulClaims.For(set, pod))
        {
            if (claims.Get(claim.Namespace(), claim.Name()) is { } existing)
            {
                if (existing.Metadata.DeletionTimestamp is not null)
                {
                    errors.Add($"pvc {claim.Name()} is being deleted");
                }

                continue;
            }

            try
            {
                // Owned by the set from the start when the set's deletion is to delete it.
                await client.CreateAsync(StatefulClaims.WithOwners(claim, set, pod), cancellationToken).ConfigureAwait(false);
                events.Record(set, "Normal", "SuccessfulCreate", $"create Claim {claim.Name()} Pod {pod.Name()} in StatefulSet {set.Name()} success", component);
            }
            catch (ApiException ex)
            {
                code = ex.Code;
                errors.Add($"failed to create PVC {claim.Name()}: {ex.Message}");
                if (ex.Code != 409)
                {
                    events.Record(set, "Warning", "FailedCreate",
                        $"create Claim {claim.Name()} for Pod {pod.Name()} in StatefulSet {set.Name()} failed error: {ex.Message}", component);
                }
            }
        }

        // errors.NewAggregate: one error as itself, several in brackets.
        return errors.Count switch
        {
            0 => null,
            1 => new ApiException(code, "Failure", errors[0]),
            _ => new ApiException(code, "Failure", $"[{string.Join(", ", errors)}]"),
        };
    }

    /// <summary><c>UpdatePodClaimForRetentionPolicy</c>: claims not yet there are left to a later sync.</summary>
    private async Task UpdateClaimOwnersAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        foreach (var (_, wanted) in StatefulClaims.For(set, pod))
        {
            if (claims.Get(wanted.Namespace(), wanted.Name()) is { } claim && !StatefulClaims.OwnersUpToDate(claim, set, pod))
            {
                await client.MutateAsync<V1PersistentVolumeClaim>(claim.Namespace(), claim.Name(), current =>
                    current.Metadata.OwnerReferences = StatefulClaims.WithOwners(current, set, pod).Metadata.OwnerReferences, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>DeleteStatefulPod</c>; a pod already gone is not an error (kube ignores NotFound where it deletes).</summary>
    private async Task DeleteAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        // A condemned pod's claims pass to it first when the set deletes claims on scale-down (kube's fixPodClaim).
        await UpdateClaimOwnersAsync(set, pod, cancellationToken).ConfigureAwait(false);
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
