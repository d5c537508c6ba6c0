using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The nodes as the scheduler sees them during one pass: each node's free resources are what its
/// offers to the scheduler hold, and placements made in the pass are applied as they are committed.
/// </summary>
public sealed class NodeView
{
    private readonly Dictionary<string, int> _index;

    public NodeView(List<NodeInfo> nodes, Dictionary<string, List<string>> offersByNode)
    {
        Nodes = nodes;
        OffersByNode = offersByNode;
        _index = nodes.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public List<NodeInfo> Nodes { get; }

    /// <summary>The ids of the scheduler's offers on each node.</summary>
    public Dictionary<string, List<string>> OffersByNode { get; }

    public void Place(string node, V1Pod pod, ResourceVector requests) => Nodes[_index[node]] = Nodes[_index[node]].With(pod, requests);
}
