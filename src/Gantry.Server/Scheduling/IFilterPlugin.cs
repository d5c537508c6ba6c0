namespace Gantry.Server.Scheduling;

/// <summary>
/// A feasibility check at the Filter extension point: the reasons a node cannot take the pod, in
/// the words <c>kubectl describe</c> shows ("Insufficient cpu"), or none when it can.
/// </summary>
public interface IFilterPlugin
{
    string Name { get; }

    IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node);
}
