namespace Gantry.Server.Scheduling;

/// <summary>
/// The outcome of scheduling one pod: the chosen node, or none, and the verdicts: every node refused,
/// and for an explanation every feasible node with its scores too. <see cref="Message"/> is the
/// scheduler's FailedScheduling text, made from the same reasons.
/// </summary>
public sealed record SchedulingDecision(string? Node, int NodeCount, IReadOnlyList<NodeVerdict> Verdicts)
{
    /// <summary>
    /// What preemption, tried because the pod fits nowhere, found instead of room ("preemption: not eligible due to
    /// preemptionPolicy=Never."): kube-scheduler's PostFilter message, which ends its FailedScheduling text.
    /// </summary>
    public string? Preemption { get; init; }

    /// <summary>Why a PreFilter plugin refused the pod before any node was examined (kube-scheduler's PreFilterMsg).</summary>
    public string? PreFilterRejection { get; init; }

    /// <summary>"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."</summary>
    public string Message
    {
        get
        {
            var message = NodesAvailable.Message(NodeCount, Verdicts.SelectMany(v => v.Reasons), PreFilterRejection);
            return Preemption is null ? message : $"{message} {Preemption}";
        }
    }
}
