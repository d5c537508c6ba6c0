using System.Globalization;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The outcome of scheduling one pod: the chosen node, or none, and the verdicts: every node refused,
/// and for an explanation every feasible node with its scores too. <see cref="Message"/> is the
/// scheduler's FailedScheduling text, made from the same reasons.
/// </summary>
public sealed record SchedulingDecision(string? Node, int NodeCount, IReadOnlyList<NodeVerdict> Verdicts)
{
    /// <summary>"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."</summary>
    public string Message
    {
        get
        {
            var histogram = Verdicts.SelectMany(v => v.Reasons).GroupBy(r => r, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
            var reasons = string.Join(", ", histogram);
            return string.Create(CultureInfo.InvariantCulture, $"0/{NodeCount} nodes are available: {(reasons.Length == 0 ? "no nodes available to schedule pods" : reasons)}.");
        }
    }
}
