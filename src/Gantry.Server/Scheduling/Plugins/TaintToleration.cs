using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// A node's NoSchedule and NoExecute taints keep off pods that do not tolerate them; among feasible
/// nodes, fewer untolerated PreferNoSchedule taints score higher.
/// </summary>
public sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public string Name => nameof(TaintToleration);

    public int Weight => 3;

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        if (node.Taints is not { Count: > 0 } taints)
        {
            return [];
        }

        foreach (var taint in taints)
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !Tolerations.Tolerate(pod.Pod.Spec.Tolerations, taint))
            {
                return [$"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}"];
            }
        }

        return [];
    }

    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => false;

    public int Score(PodInfo pod, NodeInfo node)
    {
        if (node.Taints is not { Count: > 0 } taints)
        {
            return 100;
        }

        var untolerated = 0;
        foreach (var taint in taints)
        {
            if (taint.Effect == "PreferNoSchedule" && !Tolerations.Tolerate(pod.Pod.Spec.Tolerations, taint))
            {
                untolerated++;
            }
        }

        return Math.Max(0, 100 - (untolerated * 10));
    }
}
