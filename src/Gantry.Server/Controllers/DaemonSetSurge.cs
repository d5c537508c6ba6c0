using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A DaemonSet's rolling update with maxSurge (kube's <c>rollingUpdate</c> when <c>AllowsSurge</c>): a node gets a pod
/// of the new template beside its old one, at most maxSurge nodes at a time, and the old pod goes once the new one is
/// available, so that every node keeps a running daemon throughout. An old pod that is not available anyway is
/// replaced at once, whatever the surge.
/// </summary>
public static class DaemonSetSurge
{
    /// <summary>Whether the DaemonSet rolls by surging: a RollingUpdate whose maxSurge is above zero (<c>util.AllowsSurge</c>).</summary>
    public static bool Allowed(V1DaemonSet ds) =>
        ds.Spec?.UpdateStrategy is { Type: null or "RollingUpdate" } strategy
        && RolloutMath.ScaledValue(strategy.RollingUpdate?.MaxSurge, 1, roundUp: true) > 0;

    /// <summary>
    /// One step of the update: the old pods to delete and the nodes to create a new pod on. A node with more than one
    /// pod of a kind is the manage loop's to sort out and counts as surging meanwhile, as does one whose new pod is not
    /// yet available.
    /// </summary>
    public static (List<V1Pod> ToDelete, List<string> NodesToCreate) Step(
        V1DaemonSet ds, IEnumerable<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash, DateTimeOffset now)
    {
        var shouldRun = nodes.Where(n => DaemonPods.ShouldRun(n, ds).ShouldRun).Select(n => n.Metadata.Name).ToHashSet();
        var maxSurge = RolloutMath.ScaledValue(ds.Spec?.UpdateStrategy?.RollingUpdate?.MaxSurge, shouldRun.Count, roundUp: true);
        var generation = Registry.Rules.DaemonSetRules.TemplateGeneration(ds);
        var minReady = ds.Spec?.MinReadySeconds ?? 0;

        var surging = 0;
        List<V1Pod> toDelete = [];
        List<string> replacements = [], candidates = [];
        foreach (var (node, pods) in podsByNode.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var live = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            var fresh = live.Where(p => DaemonPods.IsUpdated(p, hash, generation)).ToList();
            var stale = live.Where(p => !DaemonPods.IsUpdated(p, hash, generation)).ToList();
            if (fresh.Count > 1 || stale.Count > 1)
            {
                surging++;
            }
            else if (stale.Count == 0)
            {
                // Up to date, or empty: the manage loop creates what is missing.
            }
            else if (fresh.Count == 1)
            {
                if (PodState.IsAvailable(fresh[0], minReady, now))
                {
                    toDelete.Add(stale[0]);
                }
                else
                {
                    surging++;
                }
            }
            else if (!PodState.IsAvailable(stale[0], minReady, now))
            {
                // Nothing to keep available here: replace the pod, or delete it where no daemon belongs any more.
                if (shouldRun.Contains(node))
                {
                    replacements.Add(node);
                }
                else
                {
                    toDelete.Add(stale[0]);
                }
            }
            else if (shouldRun.Contains(node))
            {
                candidates.Add(node);
            }
        }

        var room = Math.Clamp(maxSurge - surging, 0, candidates.Count);
        return (toDelete, [.. replacements, .. candidates.Take(room)]);
    }

    /// <summary>
    /// Of the running pods on a node, those the manage loop deletes when surging (<c>podsShouldBeOnNode</c>): all but the
    /// oldest of the current hash and the oldest of others; and of those two the old one, once it is no longer ready or
    /// the new one is available.
    /// </summary>
    public static List<V1Pod> Extra(IEnumerable<V1Pod> running, string hash, int minReadySeconds, DateTimeOffset now)
    {
        V1Pod? oldestNew = null, oldestOld = null;
        List<V1Pod> extra = [];
        foreach (var pod in DaemonSetMath.Oldest(running))
        {
            var isNew = DaemonSetRevisions.HashOf(pod) == hash;
            if (isNew && oldestNew is null)
            {
                oldestNew = pod;
            }
            else if (!isNew && oldestOld is null)
            {
                oldestOld = pod;
            }
            else
            {
                extra.Add(pod);
            }
        }

        if (oldestNew is not null && oldestOld is not null
            && (!PodState.IsReady(oldestOld) || PodState.IsAvailable(oldestNew, minReadySeconds, now)))
        {
            extra.Add(oldestOld);
        }

        return extra;
    }
}
