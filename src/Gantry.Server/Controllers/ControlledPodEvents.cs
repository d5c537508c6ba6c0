using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The pod handlers that kube writes again in each controller that owns pods (<c>addPod</c>, <c>updatePod</c>,
/// <c>deletePod</c>): a pod's change wakes the controller its controllerRef names, counts towards that controller's
/// expectations, and wakes the controllers whose selector matches an orphan, as one of them may adopt it.
/// </summary>
/// <param name="owners">The informer of the controllers' own kind; a controllerRef to another kind or a gone owner is ignored.</param>
/// <param name="selector">The owner's pod selector.</param>
/// <param name="minReadySeconds">The owner's minReadySeconds: a pod turning ready becomes available that much later, with no event to say so.</param>
public sealed class ControlledPodEvents<T>(
    Informer<T> owners, ControllerExpectations expectations, WorkQueue<string> queue, Func<T, LabelSelector> selector, Func<T, int> minReadySeconds)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _kind = InProcessClient.TypeOf<T>().Kind;

    /// <summary>The handler for the pod informer's <see cref="Informer{T}.OnChange"/>.</summary>
    public void OnPodChange(V1Pod? old, V1Pod? current)
    {
        if (current is null || (current.Metadata.DeletionTimestamp is not null && old?.Metadata.DeletionTimestamp is null))
        {
            OnPodDeleted(old, current);
        }
        else if (old is null)
        {
            OnPodAdded(current);
        }
        else
        {
            OnPodUpdated(old, current);
        }
    }

    /// <summary>
    /// A pod gone, or going (a graceful deletion started): an expected deletion seen. A pod first seen already going was
    /// also an expected creation.
    /// </summary>
    private void OnPodDeleted(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        if (OwnerKey(pod) is not { } ownerKey)
        {
            return;
        }

        if (old is null && current is not null)
        {
            expectations.CreationObserved(ownerKey);
        }

        expectations.DeletionObserved(ownerKey, PodControl.Key(pod));
        queue.Add(ownerKey);
    }

    private void OnPodAdded(V1Pod pod)
    {
        if (OwnerKey(pod) is { } ownerKey)
        {
            expectations.CreationObserved(ownerKey);
            queue.Add(ownerKey);
        }
        else if (OwnerReferences.ControllerOf(pod.Metadata) is null)
        {
            EnqueueMatching(pod);
        }
    }

    /// <summary>A changed controllerRef wakes the old owner too; an orphan whose labels or controllerRef changed may be adopted now.</summary>
    private void OnPodUpdated(V1Pod old, V1Pod current)
    {
        var controller = OwnerReferences.ControllerOf(current.Metadata);
        var oldController = OwnerReferences.ControllerOf(old.Metadata);
        if (oldController is not null && oldController.Uid != controller?.Uid && OwnerKey(old) is { } previous)
        {
            queue.Add(previous);
        }

        if (controller is not null)
        {
            if (OwnerKey(current) is { } ownerKey)
            {
                queue.Add(ownerKey);
                var minReady = owners.Get(current.Namespace(), controller.Name) is { } owner ? minReadySeconds(owner) : 0;
                if (minReady > 0 && !PodState.IsReady(old) && PodState.IsReady(current))
                {
                    queue.AddAfter(ownerKey, TimeSpan.FromSeconds(minReady + 1));
                }
            }
        }
        else if (!LabelsEqual(old, current) || oldController is not null)
        {
            EnqueueMatching(current);
        }
    }

    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var owner in owners.ListInNamespace(pod.Namespace()))
        {
            if (selector(owner).Matches(pod.Metadata))
            {
                queue.Add($"{owner.Namespace()}/{owner.Name()}");
            }
        }
    }

    /// <summary>The key of the pod's controller when it is an owner of this kind that still exists with the referenced uid.</summary>
    private string? OwnerKey(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod.Metadata) is not { } reference || reference.Kind != _kind)
        {
            return null;
        }

        var owner = owners.Get(pod.Namespace(), reference.Name);
        return owner is not null && owner.Uid() == reference.Uid ? $"{pod.Namespace()}/{reference.Name}" : null;
    }

    private static bool LabelsEqual(V1Pod a, V1Pod b)
    {
        var left = a.Metadata.Labels ?? new Dictionary<string, string>();
        var right = b.Metadata.Labels ?? new Dictionary<string, string>();
        return left.Count == right.Count && left.All(l => right.TryGetValue(l.Key, out var v) && v == l.Value);
    }
}
