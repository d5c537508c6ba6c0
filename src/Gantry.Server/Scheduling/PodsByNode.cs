using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The pods on each node: those bound to it that still hold it, kept from the pod informer's changes, and those the
/// scheduler placed there whose binding the informer has not shown yet (kube-scheduler's assumed pods). Without the
/// assumed ones, a node rebuilt between a placement and its binding's event would look as if it did not run the pod,
/// and the next decision would count its topology domain or its affinity terms short.
/// </summary>
public sealed class PodsByNode
{
    private readonly Dictionary<string, Dictionary<string, V1Pod>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, V1Pod>> _assumed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _assumedNode = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Update(V1Pod? old, V1Pod? current)
    {
        lock (_gate)
        {
            if (old is not null && !string.IsNullOrEmpty(old.Spec.NodeName) && _nodes.TryGetValue(old.Spec.NodeName, out var before))
            {
                before.Remove(old.Metadata.Uid);
            }

            // The binding seen (on whichever node) or the pod gone ends the assumption.
            if (current is null || !string.IsNullOrEmpty(current.Spec.NodeName))
            {
                RemoveAssumed((current ?? old)?.Metadata.Uid);
            }

            if (current is not null && Kernel.PodLedgerSync.Holds(current))
            {
                Add(_nodes, current.Spec.NodeName, current);
            }
        }
    }

    /// <summary>The scheduler placed <paramref name="pod"/> on <paramref name="node"/> and is binding it.</summary>
    public void Assume(V1Pod pod, string node)
    {
        lock (_gate)
        {
            RemoveAssumed(pod.Metadata.Uid);
            Add(_assumed, node, pod);
            _assumedNode[pod.Metadata.Uid] = node;
        }
    }

    /// <summary>The binding of an assumed pod failed: it is on no node.</summary>
    public void Forget(V1Pod pod)
    {
        lock (_gate)
        {
            RemoveAssumed(pod.Metadata.Uid);
        }
    }

    public IReadOnlyList<V1Pod> On(string node)
    {
        lock (_gate)
        {
            var bound = _nodes.GetValueOrDefault(node);
            var assumed = _assumed.GetValueOrDefault(node);
            if (assumed is not { Count: > 0 })
            {
                return bound is null ? [] : [.. bound.Values];
            }

            return bound is null ? [.. assumed.Values] : [.. bound.Values, .. assumed.Values];
        }
    }

    private void RemoveAssumed(string? uid)
    {
        if (uid is not null && _assumedNode.Remove(uid, out var node))
        {
            _assumed[node].Remove(uid);
        }
    }

    private static void Add(Dictionary<string, Dictionary<string, V1Pod>> byNode, string node, V1Pod pod)
    {
        if (!byNode.TryGetValue(node, out var pods))
        {
            pods = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
            byNode[node] = pods;
        }

        pods[pod.Metadata.Uid] = pod;
    }
}
