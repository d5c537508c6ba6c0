using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' <c>BaseControllerRefManager</c>: which objects of a kind (pods, controller revisions) a controller owns,
/// adopting and releasing by its selector.
/// </summary>
public class ControllerRefClaims<T>(InProcessClient client) where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// The objects this owner controls: its own that still match, plus matching orphans it adopts; its own
    /// that no longer match are released (Kubernetes' <c>ClaimPods</c>, <c>ClaimControllerRevisions</c>).
    /// </summary>
    /// <param name="filter">A further test a candidate must pass to match, as <c>ClaimPods</c>' filters (a StatefulSet's name).</param>
    public async Task<List<T>> ClaimAsync(
        IKubernetesObject<V1ObjectMeta> owner, LabelSelector selector, List<T> candidates, CancellationToken cancellationToken, Func<T, bool>? filter = null)
    {
        var claimed = new List<T>();
        var ownerDeleting = owner.Metadata.DeletionTimestamp is not null;
        foreach (var candidate in candidates)
        {
            var controller = OwnerReferences.ControllerOf(candidate.Metadata);
            var matches = selector.Matches(candidate.Metadata) && (filter is null || filter(candidate));
            if (controller is not null)
            {
                if (controller.Uid != owner.Uid())
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(candidate);
                }
                else if (!ownerDeleting)
                {
                    await ReleaseAsync(owner, candidate, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (matches && !ownerDeleting && await AdoptAsync(owner, candidate, cancellationToken).ConfigureAwait(false) is { } adopted)
            {
                claimed.Add(adopted);
            }
        }

        return claimed;
    }

    private async Task<T?> AdoptAsync(IKubernetesObject<V1ObjectMeta> owner, T candidate, CancellationToken cancellationToken)
    {
        try
        {
            var adopted = false;
            var result = await client.MutateAsync<T>(candidate.Namespace(), candidate.Name(), current =>
            {
                if (current.Uid() != candidate.Uid() || OwnerReferences.ControllerOf(current.Metadata) is not null || current.Metadata.DeletionTimestamp is not null)
                {
                    adopted = false;
                    return;
                }

                current.Metadata.OwnerReferences ??= [];
                current.Metadata.OwnerReferences.Add(OwnerReferences.NewControllerRef(owner));
                adopted = true;
            }, cancellationToken).ConfigureAwait(false);
            return adopted ? result : null;
        }
        catch (ApiException ex) when (ex.Code is 404 or 409 or 422)
        {
            return null;
        }
    }

    private async Task ReleaseAsync(IKubernetesObject<V1ObjectMeta> owner, T candidate, CancellationToken cancellationToken)
    {
        try
        {
            await client.MutateAsync<T>(candidate.Namespace(), candidate.Name(), current =>
            {
                current.Metadata.OwnerReferences = OwnerReferences.Without(current.Metadata, owner.Uid());
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409 or 422)
        {
        }
    }
}
