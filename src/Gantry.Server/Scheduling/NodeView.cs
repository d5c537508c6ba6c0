using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The nodes as the scheduler sees them during one pass: each node's free resources are what its
/// offers to the scheduler hold, and placements made in the pass are applied as they are committed.
/// </summary>
public sealed class NodeView
{
    public NodeView(NodeSnapshot nodes, Dictionary<string, List<string>> offersByNode)
    {
        Nodes = nodes;
        OffersByNode = offersByNode;
    }

    public NodeSnapshot Nodes { get; }

    /// <summary>The ids of the scheduler's offers on each node.</summary>
    public Dictionary<string, List<string>> OffersByNode { get; }

    public void Place(string node, V1Pod pod, ResourceVector requests) => Nodes.Place(node, pod, requests);
}
