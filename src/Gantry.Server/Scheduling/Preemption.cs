using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Kubernetes' DefaultPreemption, as a pure function: for a pod that fits nowhere, the node where
/// evicting lower-priority pods would make it fit, and the fewest such victims. On each node all
/// lower-priority pods are set aside, then given back highest priority first while the pod still
/// fits; among the nodes that work, the one whose most important victim matters least wins, then
/// the smallest sum of victim priorities, then the fewest victims. When no node works, the outcome
/// says why in kube-scheduler's words, node by node, as the end of the FailedScheduling message.
/// </summary>
public static class Preemption
{
    public const string NotHelpfulReason = "Preemption is not helpful for scheduling";
    public const string NoVictimsReason = "No preemption victims found for incoming pod";

    public static PreemptionOutcome Attempt(PodInfo pod, SchedulingDecision decision, IReadOnlyList<NodeInfo> nodes, SchedulingFramework framework)
    {
        // With no nodes at all kube-scheduler fails before filtering, and does not try preemption.
        if (nodes.Count == 0)
        {
            return new PreemptionOutcome(null, null);
        }

        var verdicts = decision.Verdicts.Where(v => v.RefusedBy is not null).ToDictionary(v => v.Node, StringComparer.Ordinal);
        if (Ineligibility(pod, nodes, verdicts, framework) is { } ineligible)
        {
            return new PreemptionOutcome(null, $"preemption: {ineligible}");
        }

        var priority = pod.Pod.Spec.Priority ?? 0;
        var reasons = new List<string>(nodes.Count);
        PreemptionPlan? best = null;
        foreach (var node in nodes)
        {
            // Nodes refused for what no eviction changes (a selector, a taint) are not searched for victims.
            if (!verdicts.TryGetValue(node.Name, out var verdict) || !framework.EvictionMayResolve(pod, node, verdict))
            {
                reasons.Add(NotHelpfulReason);
                continue;
            }

            var lower = node.Pods.Where(p => (p.Spec.Priority ?? 0) < priority && p.Metadata.DeletionTimestamp is null)
                .OrderByDescending(p => p.Spec.Priority ?? 0).ToList();
            if (lower.Count == 0)
            {
                reasons.Add(NoVictimsReason);
                continue;
            }

            var without = Without(node, lower);
            var refusal = framework.ReasonsRefusing(pod, without, nodes);
            if (refusal.Count > 0)
            {
                reasons.AddRange(refusal);
                continue;
            }

            var victims = new List<V1Pod>();
            foreach (var candidate in lower)
            {
                var reprieved = without.With(candidate, PodRequests.Of(candidate));
                if (framework.ReasonsRefusing(pod, reprieved, nodes).Count == 0)
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

        return best is not null ? new PreemptionOutcome(best, null) : new PreemptionOutcome(null, $"preemption: {NodesAvailable.Message(nodes.Count, reasons)}");
    }

    /// <summary>
    /// Why the pod may not preempt now (kube-scheduler's PodEligibleToPreemptOthers), or null: its policy forbids it, or
    /// an earlier preemption is still under way, its victims terminating on its nominated node, unless that node has since
    /// become one no eviction helps.
    /// </summary>
    private static string? Ineligibility(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Dictionary<string, NodeVerdict> verdicts, SchedulingFramework framework)
    {
        var spec = pod.Pod.Spec;
        if (spec.PreemptionPolicy == "Never")
        {
            return "not eligible due to preemptionPolicy=Never.";
        }

        if (pod.Pod.Status?.NominatedNodeName is not { Length: > 0 } nominated || nodes.FirstOrDefault(n => n.Name == nominated) is not { } node)
        {
            return null;
        }

        if (verdicts.TryGetValue(nominated, out var verdict) && !framework.EvictionMayResolve(pod, node, verdict))
        {
            return null;
        }

        var priority = spec.Priority ?? 0;
        return node.Pods.Any(p => (p.Spec.Priority ?? 0) < priority && PreemptionVictim.IsTerminating(p))
            ? "not eligible due to a terminating pod on the nominated node."
            : null;
    }

    private static NodeInfo Without(NodeInfo node, List<V1Pod> removed)
    {
        var uids = removed.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var freed = removed.Aggregate(ResourceVector.Zero, (sum, p) => sum.Add(PodRequests.Of(p)));
        var pods = node.Pods.Where(p => !uids.Contains(p.Metadata.Uid)).ToList();
        return node with { Free = node.Free.Add(freed), Pods = pods };
    }
}
