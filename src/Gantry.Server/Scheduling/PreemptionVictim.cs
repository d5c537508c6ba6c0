using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The DisruptionTarget condition kube-scheduler sets on a preemption victim before deleting it, so that whoever watches
/// the pod end (its controller, a Job's pod failure policy) can tell a preemption from a failure.
/// </summary>
public static class PreemptionVictim
{
    public const string ConditionType = "DisruptionTarget";
    public const string Reason = "PreemptionByScheduler";

    /// <summary>Sets the condition, replacing any earlier DisruptionTarget, as kube-scheduler's forced apply of the status does.</summary>
    public static void Mark(V1Pod victim, string schedulerName, DateTime now)
    {
        victim.Status ??= new V1PodStatus();
        var conditions = victim.Status.Conditions ?? [];
        if (conditions.FirstOrDefault(c => c.Type == ConditionType) is { } earlier)
        {
            conditions.Remove(earlier);
        }

        conditions.Add(new V1PodCondition
        {
            Type = ConditionType,
            Status = "True",
            Reason = Reason,
            Message = $"{schedulerName}: preempting to accommodate a higher priority pod",
            LastTransitionTime = now,
        });
        victim.Status.Conditions = conditions;
    }

    /// <summary>Whether the pod is terminating because a scheduler preempted it (kube-scheduler's podTerminatingByPreemption).</summary>
    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null
        && pod.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionType) is { Status: "True", Reason: Reason };
}
