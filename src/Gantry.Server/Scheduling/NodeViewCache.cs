using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The scheduler's <see cref="NodeView"/>, kept from one pass to the next, as kube-scheduler keeps its snapshot:
/// a pass rebuilds only the nodes that changed since the last one (the Node object, a pod bound to it, or what its
/// offers hold), so that a pass costs what changed rather than every node and every pod with their affinity
/// index. Placements a pass makes stay in the view; the bind's pod event, or the offers, bring the node back in
/// step with the cluster.
/// </summary>
/// <param name="listNodes">Every node now (the node informer's list).</param>
/// <param name="findNode">The node of that name now, or null.</param>
/// <param name="podsByNode">The pods bound to each node.</param>
public sealed class NodeViewCache(Func<IEnumerable<V1Node>> listNodes, Func<string, V1Node?> findNode, PodsByNode podsByNode)
{
    private readonly Lock _gate = new();
    private HashSet<string> _changed = new(StringComparer.Ordinal);
    private bool _membershipChanged = true;
    private NodeSnapshot? _snapshot;

    /// <summary>The node, or a pod on it, changed: the next pass rebuilds it. Safe from any thread.</summary>
    public void NodeChanged(string name)
    {
        lock (_gate)
        {
            _changed.Add(name);
        }
    }

    /// <summary>A node came or went: the next pass rebuilds the whole view. Safe from any thread.</summary>
    public void MembershipChanged()
    {
        lock (_gate)
        {
            _membershipChanged = true;
        }
    }

    /// <summary>The view for a pass over <paramref name="offers"/> (the scheduler's outstanding offers). Not thread-safe: the scheduler's loop alone calls it.</summary>
    public NodeView Current(IReadOnlyList<Offer> offers)
    {
        var offersByNode = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var free = new Dictionary<string, ResourceVector>(StringComparer.Ordinal);
        foreach (var offer in offers)
        {
            if (!offersByNode.TryGetValue(offer.Node, out var ids))
            {
                ids = [];
                offersByNode[offer.Node] = ids;
            }

            ids.Add(offer.Id);
            free[offer.Node] = free.TryGetValue(offer.Node, out var sum) ? sum.Add(offer.Resources) : offer.Resources;
        }

        HashSet<string> changed;
        bool membershipChanged;
        lock (_gate)
        {
            (changed, _changed) = (_changed, new HashSet<string>(StringComparer.Ordinal));
            (membershipChanged, _membershipChanged) = (_membershipChanged, false);
        }

        if (membershipChanged || _snapshot is null || !Refresh(_snapshot, changed, free))
        {
            _snapshot = new NodeSnapshot(listNodes().OrderBy(n => n.Name(), StringComparer.Ordinal).Select(n => Build(n, free)));
        }

        return new NodeView(_snapshot, offersByNode);
    }

    /// <summary>Rebuilds the changed nodes in place; false when one has gone, so the whole view must be rebuilt.</summary>
    private bool Refresh(NodeSnapshot snapshot, HashSet<string> changed, Dictionary<string, ResourceVector> free)
    {
        for (var i = 0; i < snapshot.Count; i++)
        {
            var info = snapshot[i];
            var offered = free.GetValueOrDefault(info.Name, ResourceVector.Zero);
            if (!changed.Contains(info.Name) && offered.Equals(info.Free))
            {
                continue;
            }

            if (findNode(info.Name) is not { } node)
            {
                return false;
            }

            snapshot[i] = Build(node, free);
        }

        return true;
    }

    private NodeInfo Build(V1Node node, Dictionary<string, ResourceVector> free) =>
        new(node, ResourceVector.From(node.Status?.Allocatable), free.GetValueOrDefault(node.Name(), ResourceVector.Zero), podsByNode.On(node.Name()));
}
