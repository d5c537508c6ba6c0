namespace Gantry.Server.Scheduling;

/// <summary>
/// A feasibility check at the Filter extension point: the reasons a node cannot take the pod, in
/// the words <c>kubectl describe</c> shows ("Insufficient cpu"), or none when it can.
/// </summary>
public interface IFilterPlugin
{
    string Name { get; }

    IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node);

    /// <summary>
    /// True when Filter would refuse no node to this pod (asked after PreFilter), so a decision skips it: kube-scheduler's
    /// Skip status at PreFilter. A decision examines hundreds of nodes, and most plugins have nothing to check for most pods.
    /// </summary>
    bool SkipsFilter(PodInfo pod) => false;

    /// <summary>
    /// Whether evicting pods from the node could lift this plugin's refusal (<paramref name="reasons"/>): kube-scheduler's
    /// Unschedulable, as against UnschedulableAndUnresolvable. Preemption looks for victims only on such nodes; it is asked
    /// only when a pod fits nowhere.
    /// </summary>
    bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => true;
}
