namespace Gantry.Server.Scheduling;

/// <summary>What preemption found for a pod that fits nowhere: a plan, or the reason there is none in kube-scheduler's words.</summary>
public sealed record PreemptionOutcome(PreemptionPlan? Plan, string? Message);
