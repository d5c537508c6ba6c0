using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>A cordoned node (<c>spec.unschedulable</c>) takes only pods tolerating <c>node.kubernetes.io/unschedulable:NoSchedule</c>.</summary>
public sealed class NodeUnschedulable : IFilterPlugin
{
    public const string Reason = "node(s) were unschedulable";

    private static readonly V1Taint Taint = new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

    public string Name => nameof(NodeUnschedulable);

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node) =>
        node.Unschedulable && !Tolerations.Tolerate(pod.Pod.Spec.Tolerations, Taint) ? [Reason] : [];

    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => false;
}
