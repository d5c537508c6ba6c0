namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// Spreads the pods of one controller (a ReplicaSet, a ReplicationController, a Job) over nodes:
/// a node already running fewer of its siblings scores higher, so replicas do not share a fate.
/// </summary>
public sealed class SelectorSpread : IScorePlugin
{
    public string Name => nameof(SelectorSpread);

    public int Weight => 1;

    public int Score(PodInfo pod, NodeInfo node) =>
        pod.ControllerUid is { } owner ? 100 / (1 + node.PodsControlledBy(owner)) : 0;

    public bool SkipsScore(PodInfo pod) => pod.ControllerUid is null;
}
