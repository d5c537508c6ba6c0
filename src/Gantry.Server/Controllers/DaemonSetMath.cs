using Gantry.Server.Registry.Rules;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The arithmetic of kube's DaemonSet controller over one snapshot: the status counts and which pods of an older
/// template a rolling update may take down now. Nodes are visited by name so that the outcome does not depend on
/// the order of a map, as it does in Go.
/// </summary>
public static class DaemonSetMath
{
    /// <summary>Scheduled pods first, then the oldest, then by name (<c>podByCreationTimestampAndPhase</c>).</summary>
    public static List<V1Pod> Oldest(IEnumerable<V1Pod> pods) =>
        [.. pods.OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 1 : 0)
            .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The status counts (<c>updateDaemonSetStatus</c>): on each node that should run the pod, its oldest daemon pod
    /// decides whether the node counts as ready, available and updated; pods on other nodes are misscheduled.
    /// </summary>
    public static DaemonSetCounts Count(V1DaemonSet ds, IEnumerable<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash, DateTimeOffset now)
    {
        int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
        var generation = DaemonSetRules.TemplateGeneration(ds);
        var minReady = ds.Spec?.MinReadySeconds ?? 0;
        foreach (var node in nodes)
        {
            var scheduled = podsByNode.TryGetValue(node.Metadata.Name, out var pods) && pods.Count > 0;
            if (!DaemonPods.ShouldRun(node, ds).ShouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }

            desired++;
            if (!scheduled)
            {
                continue;
            }

            current++;
            var pod = Oldest(pods!)[0];
            if (PodState.IsReady(pod))
            {
                ready++;
                available += PodState.IsAvailable(pod, minReady, now) ? 1 : 0;
            }

            updated += DaemonPods.IsUpdated(pod, hash, generation) ? 1 : 0;
        }

        return new DaemonSetCounts(desired, current, misscheduled, ready, updated, available);
    }

    /// <summary>
    /// The old pods a rolling update without surge deletes now (<c>rollingUpdate</c> with maxSurge 0): every unavailable
    /// old pod, and available ones while the nodes already unavailable (no pod, two pods, or a new pod not yet
    /// available) leave room under maxUnavailable. The manage loop recreates them with the new template.
    /// </summary>
    public static List<V1Pod> OldPodsToDelete(V1DaemonSet ds, IEnumerable<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash, DateTimeOffset now)
    {
        var generation = DaemonSetRules.TemplateGeneration(ds);
        var minReady = ds.Spec?.MinReadySeconds ?? 0;

        // Nodes that should run the pod but have none count as unavailable too (updatedDesiredNodeCounts).
        var byNode = podsByNode.ToDictionary(p => p.Key, p => p.Value);
        var desired = 0;
        foreach (var node in nodes.Where(n => DaemonPods.ShouldRun(n, ds).ShouldRun))
        {
            desired++;
            byNode.TryAdd(node.Metadata.Name, []);
        }

        var maxUnavailable = RolloutMath.ScaledValue(ds.Spec?.UpdateStrategy?.RollingUpdate?.MaxUnavailable, desired, roundUp: true);
        var maxSurge = RolloutMath.ScaledValue(ds.Spec?.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, roundUp: true);
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0)
        {
            // An impossible configuration from the API server: kube falls back to one at a time.
            maxUnavailable = 1;
        }

        var unavailable = 0;
        List<V1Pod> replacements = [], candidates = [];
        foreach (var (_, pods) in byNode.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var live = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            var fresh = live.Where(p => DaemonPods.IsUpdated(p, hash, generation)).ToList();
            var stale = live.Where(p => !DaemonPods.IsUpdated(p, hash, generation)).ToList();
            if (fresh.Count > 1 || stale.Count > 1 || fresh.Count == stale.Count)
            {
                // Duplicates, both kinds or none: the manage loop sorts this node out; it counts as unavailable meanwhile.
                unavailable++;
            }
            else if (fresh.Count == 1)
            {
                unavailable += PodState.IsAvailable(fresh[0], minReady, now) ? 0 : 1;
            }
            else if (!PodState.IsAvailable(stale[0], minReady, now))
            {
                replacements.Add(stale[0]);
            }
            else if (unavailable < maxUnavailable)
            {
                candidates.Add(stale[0]);
            }
        }

        var room = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        return [.. replacements, .. candidates.Take(room)];
    }
}
