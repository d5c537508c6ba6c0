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
    private Dictionary<string, List<string>>? _offersByNode;
    private long? _offersVersion;

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

    /// <summary>
    /// The view for a pass, reading the scheduler's outstanding offers only when <paramref name="offersVersion"/>
    /// (<see cref="Allocator.OffersVersion"/>) moved since the last view: while it holds, the offers are what that view
    /// says, with the placements made on it. A pass then costs the nodes that changed, not a look at every offer and
    /// node. Not thread-safe: the scheduler's loop alone calls it.
    /// </summary>
    public NodeView Current(long offersVersion, Func<IReadOnlyList<Offer>> offers)
    {
        if (_offersVersion == offersVersion && _snapshot is { } snapshot && _offersByNode is { } offersByNode)
        {
            var (changed, membershipChanged) = TakeChanges();
            if (!membershipChanged && RefreshChanged(snapshot, changed))
            {
                return new NodeView(snapshot, offersByNode);
            }

            MembershipChanged();
        }

        var view = Current(offers());
        _offersVersion = offersVersion;
        return view;
    }

    /// <summary>The offers may differ from what the last view says (an accept was refused): the next view reads them.</summary>
    public void OffersChanged() => _offersVersion = null;

    /// <summary>The view for a pass over <paramref name="offers"/> (the scheduler's outstanding offers). Not thread-safe: the scheduler's loop alone calls it.</summary>
    public NodeView Current(IReadOnlyList<Offer> offers)
    {
        _offersVersion = null;
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

        var (changed, membershipChanged) = TakeChanges();
        if (membershipChanged || _snapshot is null || !Refresh(_snapshot, changed, free))
        {
            _snapshot = new NodeSnapshot(listNodes().OrderBy(n => n.Name(), StringComparer.Ordinal).Select(n => Build(n, free.GetValueOrDefault(n.Name(), ResourceVector.Zero))));
        }

        _offersByNode = offersByNode;
        return new NodeView(_snapshot, offersByNode);
    }

    private (HashSet<string> Changed, bool MembershipChanged) TakeChanges()
    {
        lock (_gate)
        {
            var taken = (_changed, _membershipChanged);
            _changed = new HashSet<string>(StringComparer.Ordinal);
            _membershipChanged = false;
            return taken;
        }
    }

    /// <summary>Rebuilds the changed nodes in place, each keeping what the view has free on it; false when one has gone.</summary>
    private bool RefreshChanged(NodeSnapshot snapshot, HashSet<string> changed)
    {
        foreach (var name in changed)
        {
            if (!snapshot.TryIndexOf(name, out var i))
            {
                continue;
            }

            if (findNode(name) is not { } node)
            {
                return false;
            }

            snapshot[i] = Build(node, snapshot[i].Free);
        }

        return true;
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

            snapshot[i] = Build(node, offered);
        }

        return true;
    }

    private NodeInfo Build(V1Node node, ResourceVector free) =>
        new(node, ResourceVector.From(node.Status?.Allocatable), free, podsByNode.On(node.Name()));
}
