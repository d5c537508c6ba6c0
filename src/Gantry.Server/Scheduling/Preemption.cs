using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Kubernetes' DefaultPreemption, as a pure function: for a pod that fits nowhere, the node where
/// evicting lower-priority pods would make it fit, and the fewest such victims. On each node all
/// lower-priority pods are set aside, then given back highest priority first while the pod still
/// fits; among the nodes that work, the one whose most important victim matters least wins, then
/// the smallest sum of victim priorities, then the fewest victims.
/// </summary>
public static class Preemption
{
    public static PreemptionPlan? Plan(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Func<PodInfo, NodeInfo, bool> fits)
    {
        if (pod.Pod.Spec.PreemptionPolicy == "Never")
        {
            return null;
        }

        var priority = pod.Pod.Spec.Priority ?? 0;
        PreemptionPlan? best = null;
        foreach (var node in nodes)
        {
            var lower = node.Pods.Where(p => (p.Spec.Priority ?? 0) < priority && p.Metadata.DeletionTimestamp is null)
                .OrderByDescending(p => p.Spec.Priority ?? 0).ToList();
            if (lower.Count == 0)
            {
                continue;
            }

            var without = Without(node, lower);
            if (!fits(pod, without))
            {
                continue;
            }

            var victims = new List<V1Pod>();
            foreach (var candidate in lower)
            {
                var reprieved = without.With(candidate, PodRequests.Of(candidate));
                if (fits(pod, reprieved))
                {
                    without = reprieved;
                }
                else
                {
                    victims.Add(candidate);
                }
            }

            var plan = new PreemptionPlan(node.Name, victims);
            if (best is null || plan.CheaperThan(best))
            {
                best = plan;
            }
        }

        return best;
    }

    private static NodeInfo Without(NodeInfo node, List<V1Pod> removed)
    {
        var uids = removed.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var freed = removed.Aggregate(ResourceVector.Zero, (sum, p) => sum.Add(PodRequests.Of(p)));
        var pods = node.Pods.Where(p => !uids.Contains(p.Metadata.Uid)).ToList();
        return node with { Free = node.Free.Add(freed), Pods = pods };
    }
}
