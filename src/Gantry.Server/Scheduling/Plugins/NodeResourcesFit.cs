using Gantry.Server.Kernel;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>The pod's requests must fit in what the scheduler may use of the node; the reasons name each resource short.</summary>
public sealed class NodeResourcesFit : IFilterPlugin
{
    public string Name => nameof(NodeResourcesFit);

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        if (node.Fits(pod.Requests))
        {
            return [];
        }

        var shortfalls = pod.Requests.Shortfalls(node.Free);
        return shortfalls.Count == 0 ? [] : [.. shortfalls.Select(r => r == ResourceVector.PodSlots ? "Too many pods" : $"Insufficient {r}")];
    }
}
