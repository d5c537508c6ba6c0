using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A budget's <c>DisruptionAllowed</c> condition, as component-helpers' poddisruptionbudget helpers keep it: True with
/// reason SufficientPods while disruptions are allowed, False with InsufficientPods otherwise, and False with SyncFailed
/// when the controller could not count. Shared by the controller and the eviction subresource.
/// </summary>
public static class DisruptionAllowedCondition
{
    public const string Type = "DisruptionAllowed";
    public const string SufficientPods = "SufficientPods";
    public const string InsufficientPods = "InsufficientPods";
    public const string SyncFailed = "SyncFailed";

    /// <summary><c>UpdateDisruptionAllowedCondition</c>: the condition that <c>status.disruptionsAllowed</c> implies.</summary>
    public static void Update(V1PodDisruptionBudgetStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var allowed = status.DisruptionsAllowed > 0;
        Set(status, allowed ? "True" : "False", allowed ? SufficientPods : InsufficientPods, "", now);
    }

    /// <summary><c>ConditionsAreUpToDate</c>: the condition is there, for this generation, and agrees with the count.</summary>
    public static bool IsUpToDate(V1PodDisruptionBudget pdb)
    {
        ArgumentNullException.ThrowIfNull(pdb);
        var condition = pdb.Status?.Conditions?.FirstOrDefault(c => c.Type == Type);
        if (condition is null || (pdb.Status!.ObservedGeneration ?? 0) != (pdb.Metadata.Generation ?? 0))
        {
            return false;
        }

        return pdb.Status.DisruptionsAllowed > 0
            ? condition.Status == "True" && condition.Reason == SufficientPods
            : condition.Status == "False" && condition.Reason == InsufficientPods;
    }

    /// <summary>
    /// apimachinery's <c>SetStatusCondition</c>: adds or changes the condition, moving its transition time only when its
    /// status changes. Times are whole seconds, as <c>metav1.Time</c> serializes them.
    /// </summary>
    public static void Set(V1PodDisruptionBudgetStatus status, string conditionStatus, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var conditions = status.Conditions ??= [];
        var seconds = DateTime.SpecifyKind(new DateTime(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var existing = conditions.FirstOrDefault(c => c.Type == Type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = Type,
                Status = conditionStatus,
                Reason = reason,
                Message = message,
                ObservedGeneration = status.ObservedGeneration,
                LastTransitionTime = seconds,
            });
            return;
        }

        if (existing.Status != conditionStatus)
        {
            existing.Status = conditionStatus;
            existing.LastTransitionTime = seconds;
        }

        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = status.ObservedGeneration;
    }
}
