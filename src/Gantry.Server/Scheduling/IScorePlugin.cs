namespace Gantry.Server.Scheduling;

/// <summary>A preference at the Score extension point: 0 to 100 for a node that passed every filter, higher is better.</summary>
public interface IScorePlugin
{
    string Name { get; }

    /// <summary>How much this score counts relative to the others (kube-scheduler's plugin weight).</summary>
    int Weight { get; }

    int Score(PodInfo pod, NodeInfo node);

    /// <summary>
    /// True when Score would give every node the same score for this pod (asked after PreFilter), so a placement skips
    /// it (the best node stays the best): kube-scheduler's Skip status at PreScore. An explanation still shows it.
    /// </summary>
    bool SkipsScore(PodInfo pod) => false;
}
