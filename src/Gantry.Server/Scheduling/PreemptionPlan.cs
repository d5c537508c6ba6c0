using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>Where a pod would go if <see cref="Victims"/> were evicted; ordered by how little the eviction costs.</summary>
public sealed record PreemptionPlan(string Node, IReadOnlyList<V1Pod> Victims)
{
    public bool CheaperThan(PreemptionPlan other) => CompareTo(other) < 0;

    private int CompareTo(PreemptionPlan other)
    {
        var byHighest = HighestPriority.CompareTo(other.HighestPriority);
        if (byHighest != 0)
        {
            return byHighest;
        }

        var bySum = PrioritySum.CompareTo(other.PrioritySum);
        return bySum != 0 ? bySum : Victims.Count.CompareTo(other.Victims.Count);
    }

    private long HighestPriority => Victims.Count == 0 ? long.MinValue : Victims.Max(v => (long)(v.Spec.Priority ?? 0));

    private long PrioritySum => Victims.Sum(v => (long)(v.Spec.Priority ?? 0));
}
