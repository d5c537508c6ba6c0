namespace Gantry.Server.Scheduling.Plugins;

/// <summary>A pod that names a node in <c>spec.nodeName</c> fits only that node.</summary>
public sealed class NodeName : IFilterPlugin
{
    public const string Reason = "node(s) didn't match the requested node name";

    public string Name => nameof(NodeName);

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node) =>
        string.IsNullOrEmpty(pod.Pod.Spec.NodeName) || pod.Pod.Spec.NodeName == node.Name ? [] : [Reason];

    public bool SkipsFilter(PodInfo pod) => string.IsNullOrEmpty(pod.Pod.Spec.NodeName);

    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => false;
}
