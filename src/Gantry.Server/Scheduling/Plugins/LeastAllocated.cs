namespace Gantry.Server.Scheduling.Plugins;

/// <summary>Prefers nodes with more of their cpu and memory left after placing the pod (spreads load), as NodeResourcesFit's LeastAllocated strategy.</summary>
public sealed class LeastAllocated : IScorePlugin
{
    public string Name => nameof(LeastAllocated);

    public int Weight => 1;

    public int Score(PodInfo pod, NodeInfo node)
    {
        var cpu = Left(node.AllocatableCpuMillis, node.AllocatableCpuMillis - node.FreeCpuMillis + pod.ScoringRequests.CpuMillis);
        var memory = Left(node.AllocatableMemoryBytes, node.AllocatableMemoryBytes - node.FreeMemoryBytes + pod.ScoringRequests.MemoryBytes);
        return (int)((cpu + memory) / 2);
    }

    private static long Left(long capacity, long requested) =>
        capacity <= 0 || requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
}
