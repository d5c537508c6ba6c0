using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>Kubernetes' <c>PodControllerRefManager</c>: which pods a controller owns, adopting and releasing by its selector.</summary>
public sealed class PodClaims(InProcessClient client)
{
    /// <summary>
    /// The pods this owner controls: its own that still match, plus matching orphans it adopts; its own
    /// that no longer match are released (Kubernetes' <c>PodControllerRefManager.ClaimPods</c>).
    /// </summary>
    public async Task<List<V1Pod>> ClaimAsync(IKubernetesObject<V1ObjectMeta> owner, LabelSelector selector, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var claimed = new List<V1Pod>();
        var ownerDeleting = owner.Metadata.DeletionTimestamp is not null;
        foreach (var pod in pods)
        {
            var controller = OwnerReferences.ControllerOf(pod.Metadata);
            var matches = selector.Matches(pod.Metadata);
            if (controller is not null)
            {
                if (controller.Uid != owner.Uid())
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(pod);
                }
                else if (!ownerDeleting)
                {
                    await ReleaseAsync(owner, pod, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (matches && !ownerDeleting && await AdoptAsync(owner, pod, cancellationToken).ConfigureAwait(false) is { } adopted)
            {
                claimed.Add(adopted);
            }
        }

        return claimed;
    }

    private async Task<V1Pod?> AdoptAsync(IKubernetesObject<V1ObjectMeta> owner, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var adopted = false;
            var result = await client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), current =>
            {
                if (current.Uid() != pod.Uid() || OwnerReferences.ControllerOf(current.Metadata) is not null || current.Metadata.DeletionTimestamp is not null)
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

    private async Task ReleaseAsync(IKubernetesObject<V1ObjectMeta> owner, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), current =>
            {
                current.Metadata.OwnerReferences = OwnerReferences.Without(current.Metadata, owner.Uid());
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409 or 422)
        {
        }
    }
}
