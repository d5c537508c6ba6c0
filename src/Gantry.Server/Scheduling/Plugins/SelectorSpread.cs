namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// Spreads the pods of one controller (a ReplicaSet, a ReplicationController, a Job) over nodes:
/// a node already running fewer of its siblings scores higher, so replicas do not share a fate.
/// </summary>
public sealed class SelectorSpread : IScorePlugin
{
    public string Name => nameof(SelectorSpread);

    public int Weight => 1;

    // Scored for every feasible node of every decision: loops, not lambdas, which would allocate per call.
    public int Score(PodInfo pod, NodeInfo node)
    {
        if (ControllerUid(pod.Pod) is not { } owner)
        {
            return 0;
        }

        var siblings = 0;
        foreach (var other in node.Pods)
        {
            if (ControllerUid(other) == owner)
            {
                siblings++;
            }
        }

        return 100 / (1 + siblings);
    }

    private static string? ControllerUid(k8s.Models.V1Pod pod)
    {
        if (pod.Metadata.OwnerReferences is not { } owners)
        {
            return null;
        }

        foreach (var owner in owners)
        {
            if (owner.Controller == true)
            {
                return owner.Uid;
            }
        }

        return null;
    }
}
