using System.Globalization;

namespace Gantry.Server.Scheduling;

/// <summary>
/// kube-scheduler's account of a failed search, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.":
/// each reason with the number of nodes that gave it, sorted as whole strings, count included, as kube-scheduler sorts them
/// (so "10 x" comes before "2 y"). A refusal at PreFilter, which no node was examined for, comes first and alone:
/// "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.".
/// </summary>
public static class NodesAvailable
{
    public static string Message(int nodeCount, IEnumerable<string> reasons, string? preFilterMessage = null)
    {
        if (preFilterMessage is not null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"0/{nodeCount} nodes are available: {preFilterMessage}.");
        }

        var histogram = reasons.GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"))
            .Order(StringComparer.Ordinal);
        var joined = string.Join(", ", histogram);
        return string.Create(CultureInfo.InvariantCulture, $"0/{nodeCount} nodes are available: {(joined.Length == 0 ? "no nodes available to schedule pods" : joined)}.");
    }
}
