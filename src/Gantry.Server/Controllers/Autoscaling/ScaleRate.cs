using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// The limits kube's <c>HorizontalController</c> puts on how far one rescale may go (horizontal.go): without a
/// behavior, up to twice the current count (at least 4) and within min/max (<c>convertDesiredReplicasWithRules</c>);
/// with one, what its policies allow over their periods given the recent rescales
/// (<c>convertDesiredReplicasWithBehaviorRate</c>). Each limit comes with the reason and message of the
/// <c>ScalingLimited</c> condition.
/// </summary>
internal static class ScaleRate
{
    public const string DesiredWithinRange = "DesiredWithinRange";
    public const string DesiredWithinRangeMessage = "the desired count is within the acceptable range";
    public const string ScaleUpLimitReason = "ScaleUpLimit";
    public const string ScaleUpLimitMessage = "the desired replica count is increasing faster than the maximum scale rate";
    public const string ScaleDownLimitReason = "ScaleDownLimit";
    public const string ScaleDownLimitMessage = "the desired replica count is decreasing faster than the maximum scale rate";
    public const string TooManyReplicas = "TooManyReplicas";
    public const string TooManyReplicasMessage = "the desired replica count is more than the maximum replica count";
    public const string TooFewReplicas = "TooFewReplicas";
    public const string TooFewReplicasMessage = "the desired replica count is less than the minimum replica count";

    private const double ScaleUpLimitFactor = 2.0;
    private const double ScaleUpLimitMinimum = 4.0;

    /// <summary>kube's <c>calculateScaleUpLimit</c>: twice the current count, at least 4.</summary>
    public static int ScaleUpLimit(int currentReplicas) => Clamp(Math.Max(ScaleUpLimitFactor * currentReplicas, ScaleUpLimitMinimum));

    /// <summary>kube's <c>convertDesiredReplicasWithRules</c>, for an autoscaler without behavior.</summary>
    public static (int Replicas, string Reason, string Message) WithRules(int currentReplicas, int desiredReplicas, int minReplicas, int maxReplicas)
    {
        var scaleUpLimit = ScaleUpLimit(currentReplicas);
        var (maximum, reason, message) = maxReplicas > scaleUpLimit
            ? (scaleUpLimit, ScaleUpLimitReason, ScaleUpLimitMessage)
            : (maxReplicas, TooManyReplicas, TooManyReplicasMessage);
        if (desiredReplicas < minReplicas)
        {
            return (minReplicas, TooFewReplicas, TooFewReplicasMessage);
        }

        return desiredReplicas > maximum ? (maximum, reason, message) : (desiredReplicas, DesiredWithinRange, DesiredWithinRangeMessage);
    }

    /// <summary>kube's <c>convertDesiredReplicasWithBehaviorRate</c>; the rules must be complete (defaulted).</summary>
    public static (int Replicas, string Reason, string Message) WithBehaviorRate(
        int currentReplicas,
        int desiredReplicas,
        int minReplicas,
        int maxReplicas,
        V2HPAScalingRules scaleUp,
        V2HPAScalingRules scaleDown,
        IReadOnlyList<ScaleEvent> scaleUpEvents,
        IReadOnlyList<ScaleEvent> scaleDownEvents,
        DateTimeOffset now)
    {
        if (desiredReplicas > currentReplicas)
        {
            // No further scale-up until the recent scale-ups fall out of their periods.
            var scaleUpLimit = Math.Max(ScaleUpLimitWithRules(currentReplicas, scaleUpEvents, scaleDownEvents, scaleUp, now), currentReplicas);
            var (maximum, reason, message) = maxReplicas > scaleUpLimit
                ? (scaleUpLimit, ScaleUpLimitReason, ScaleUpLimitMessage)
                : (maxReplicas, TooManyReplicas, TooManyReplicasMessage);
            if (desiredReplicas > maximum)
            {
                return (maximum, reason, message);
            }
        }
        else if (desiredReplicas < currentReplicas)
        {
            // No further scale-down until the recent scale-downs fall out of their periods.
            var scaleDownLimit = Math.Min(ScaleDownLimitWithRules(currentReplicas, scaleUpEvents, scaleDownEvents, scaleDown, now), currentReplicas);
            var (minimum, reason, message) = minReplicas < scaleDownLimit
                ? (scaleDownLimit, ScaleDownLimitReason, ScaleDownLimitMessage)
                : (minReplicas, TooFewReplicas, TooFewReplicasMessage);
            if (desiredReplicas < minimum)
            {
                return (minimum, reason, message);
            }
        }

        return (desiredReplicas, DesiredWithinRange, DesiredWithinRangeMessage);
    }

    /// <summary>
    /// kube's <c>calculateScaleUpLimitWithScalingRules</c>: the most replicas the policies allow, each counting from the
    /// replicas at the start of its period; <c>Max</c> takes the most permissive policy, <c>Min</c> the least, and
    /// <c>Disabled</c> allows no scale-up.
    /// </summary>
    public static int ScaleUpLimitWithRules(
        int currentReplicas, IReadOnlyList<ScaleEvent> scaleUpEvents, IReadOnlyList<ScaleEvent> scaleDownEvents, V2HPAScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == ScalingBehaviorDefaults.Disabled)
        {
            return currentReplicas;
        }

        var selectMin = rules.SelectPolicy == ScalingBehaviorDefaults.MinChange;
        long result = selectMin ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies ?? [])
        {
            long periodStart = PeriodStartReplicas(currentReplicas, policy.PeriodSeconds, scaleUpEvents, scaleDownEvents, now);
            long proposed = policy.Type switch
            {
                ScalingBehaviorDefaults.PodsPolicy => periodStart + policy.Value,
                // Rounded up, or a small percentage of few replicas would never add one.
                ScalingBehaviorDefaults.PercentPolicy => (long)Math.Ceiling(periodStart * (1 + (double)policy.Value / 100)),
                _ => 0,
            };
            result = selectMin ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return Clamp(result);
    }

    /// <summary>
    /// kube's <c>calculateScaleDownLimitWithBehaviors</c>: the fewest replicas the policies allow, each counting from
    /// the replicas at the start of its period; <c>Max</c> takes the largest change, <c>Min</c> the smallest, and
    /// <c>Disabled</c> allows no scale-down.
    /// </summary>
    public static int ScaleDownLimitWithRules(
        int currentReplicas, IReadOnlyList<ScaleEvent> scaleUpEvents, IReadOnlyList<ScaleEvent> scaleDownEvents, V2HPAScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == ScalingBehaviorDefaults.Disabled)
        {
            return currentReplicas;
        }

        var selectMin = rules.SelectPolicy == ScalingBehaviorDefaults.MinChange;
        long result = selectMin ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies ?? [])
        {
            long periodStart = PeriodStartReplicas(currentReplicas, policy.PeriodSeconds, scaleUpEvents, scaleDownEvents, now);
            long proposed = policy.Type switch
            {
                ScalingBehaviorDefaults.PodsPolicy => periodStart - policy.Value,
                // Truncated, as kube converts the product to int32.
                ScalingBehaviorDefaults.PercentPolicy => (long)(periodStart * (1 - (double)policy.Value / 100)),
                _ => 0,
            };
            result = selectMin ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return Clamp(result);
    }

    /// <summary>kube's <c>getReplicasChangePerPeriod</c>: the replicas the events within the last period changed.</summary>
    public static int ChangeInPeriod(int periodSeconds, IReadOnlyList<ScaleEvent> events, DateTimeOffset now)
    {
        var cutoff = now - TimeSpan.FromSeconds(periodSeconds);
        return events.Where(e => e.Timestamp > cutoff).Sum(e => e.ReplicaChange);
    }

    /// <summary>kube's <c>getLongestPolicyPeriod</c>.</summary>
    public static int LongestPeriod(V2HPAScalingRules rules) => Math.Max(0, (rules.Policies ?? []).Select(p => p.PeriodSeconds).DefaultIfEmpty(0).Max());

    private static int PeriodStartReplicas(
        int currentReplicas, int periodSeconds, IReadOnlyList<ScaleEvent> scaleUpEvents, IReadOnlyList<ScaleEvent> scaleDownEvents, DateTimeOffset now) =>
        currentReplicas - ChangeInPeriod(periodSeconds, scaleUpEvents, now) + ChangeInPeriod(periodSeconds, scaleDownEvents, now);

    private static int Clamp(double value) => value >= int.MaxValue ? int.MaxValue : value <= int.MinValue ? int.MinValue : (int)value;

    private static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
