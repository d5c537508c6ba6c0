namespace Gantry.Server.Scheduling.Plugins;

/// <summary>Prefers nodes whose cpu and memory would be used in similar proportions after placing the pod, so neither strands the other.</summary>
public sealed class BalancedAllocation : IScorePlugin
{
    public string Name => nameof(BalancedAllocation);

    public int Weight => 1;

    public int Score(PodInfo pod, NodeInfo node)
    {
        var cpu = Fraction(node.AllocatableCpuMillis, node.AllocatableCpuMillis - node.FreeCpuMillis + pod.ScoringRequests.CpuMillis);
        var memory = Fraction(node.AllocatableMemoryBytes, node.AllocatableMemoryBytes - node.FreeMemoryBytes + pod.ScoringRequests.MemoryBytes);
        // The standard deviation of two fractions is half their distance.
        var deviation = Math.Abs(cpu - memory) / 2;
        return (int)((1 - deviation) * 100);
    }

    private static double Fraction(long capacity, long requested) => capacity <= 0 ? 1 : Math.Min(1, (double)requested / capacity);
}
