using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Which pods a controller scaling down deletes first, as Kubernetes' <c>ActivePodsWithRanks</c>:
/// unscheduled before scheduled, Pending before Unknown before Running, not ready before ready, a
/// lower <c>controller.kubernetes.io/pod-deletion-cost</c> first, pods doubled up on a node (more of
/// the same owner there) first, then the most recently ready, the most restarted and the newest.
/// The cheapest and least useful pods go first.
/// </summary>
public sealed class PodDeletionOrder : IComparer<V1Pod>
{
    private readonly Dictionary<string, int> _podsPerNode;

    /// <param name="related">The owner's active pods, used to rank pods by how crowded their node is.</param>
    public PodDeletionOrder(IEnumerable<V1Pod> related)
    {
        _podsPerNode = related.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName))
            .GroupBy(p => p.Spec.NodeName)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    public static List<V1Pod> Rank(IReadOnlyCollection<V1Pod> pods)
    {
        var order = new PodDeletionOrder(pods);
        return [.. pods.Order(order)];
    }

    public int Compare(V1Pod? x, V1Pod? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xNode = x.Spec?.NodeName ?? "";
        var yNode = y.Spec?.NodeName ?? "";
        if (xNode.Length == 0 != (yNode.Length == 0))
        {
            return xNode.Length == 0 ? -1 : 1;
        }

        var phase = PhaseRank(x).CompareTo(PhaseRank(y));
        if (phase != 0)
        {
            return phase;
        }

        var xReady = PodState.IsReady(x);
        if (xReady != PodState.IsReady(y))
        {
            return xReady ? 1 : -1;
        }

        var cost = PodDeletionCost.Of(x.Metadata.Annotations).CompareTo(PodDeletionCost.Of(y.Metadata.Annotations));
        if (cost != 0)
        {
            return cost;
        }

        // More pods of the same owner on the node ranks first (delete from crowded nodes).
        var crowded = Crowding(yNode).CompareTo(Crowding(xNode));
        if (crowded != 0)
        {
            return crowded;
        }

        if (xReady)
        {
            var readyOrder = Nullable.Compare(ReadySince(y), ReadySince(x));
            if (readyOrder != 0)
            {
                return readyOrder;
            }
        }

        var restarts = PodState.RestartCount(y).CompareTo(PodState.RestartCount(x));
        if (restarts != 0)
        {
            return restarts;
        }

        return Nullable.Compare(y.Metadata.CreationTimestamp, x.Metadata.CreationTimestamp);
    }

    private int Crowding(string node) => node.Length == 0 ? 0 : _podsPerNode.GetValueOrDefault(node);

    private static int PhaseRank(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" or null or "" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };

    private static DateTime? ReadySince(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastTransitionTime;
}
