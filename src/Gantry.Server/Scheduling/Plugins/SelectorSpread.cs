namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// Spreads the pods of one controller (a ReplicaSet, a ReplicationController, a Job) over nodes:
/// a node already running fewer of its siblings scores higher, so replicas do not share a fate.
/// </summary>
public sealed class SelectorSpread : IScorePlugin
{
    public string Name => nameof(SelectorSpread);

    public int Weight => 1;

    public int Score(PodInfo pod, NodeInfo node)
    {
        var owner = pod.Pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;
        if (owner is null)
        {
            return 0;
        }

        var siblings = node.Pods.Count(p => p.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner) == true);
        return 100 / (1 + siblings);
    }
}
