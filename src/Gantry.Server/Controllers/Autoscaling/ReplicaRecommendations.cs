using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// The memory kube's <c>HorizontalController</c> keeps of each autoscaler (by <c>namespace/name</c>) between syncs —
/// the replica counts its metrics recently asked for, and its recent scale-ups and scale-downs — and the normalization
/// of a desired count that reads it (pkg/controller/podautoscaler/horizontal.go). Without a behavior, a scale-down
/// waits for the highest recommendation of the downscale stabilization window and a scale-up goes at most to twice
/// the current count; with one, the behavior's stabilization windows and policies decide. Time is passed in; nothing
/// here reads a clock. Safe for the controller's workers to share.
/// </summary>
public sealed class ReplicaRecommendations
{
    /// <summary>kube's <c>--horizontal-pod-autoscaler-downscale-stabilization</c> default.</summary>
    public static readonly TimeSpan DefaultDownscaleStabilizationWindow = TimeSpan.FromMinutes(5);

    private const string ReadyForNewScale = "ReadyForNewScale";
    private const string ReadyForNewScaleMessage = "recommended size matches current size";
    private const string ScaleDownStabilized = "ScaleDownStabilized";
    private const string ScaleDownStabilizedMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";
    private const string ScaleUpStabilized = "ScaleUpStabilized";
    private const string ScaleUpStabilizedMessage = "recent recommendations were lower than current one, applying the lowest recent recommendation";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Recommendation>> _recommendations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ScaleEvent>> _scaleUpEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ScaleEvent>> _scaleDownEvents = new(StringComparer.Ordinal);

    /// <param name="downscaleStabilizationWindow">
    /// How long a scale-down waits for the highest recent recommendation, without a behavior or when the behavior's
    /// scale-down sets no window; kube's default (5 minutes) when null.
    /// </param>
    public ReplicaRecommendations(TimeSpan? downscaleStabilizationWindow = null)
    {
        DownscaleStabilizationWindow = downscaleStabilizationWindow ?? DefaultDownscaleStabilizationWindow;
    }

    public TimeSpan DownscaleStabilizationWindow { get; }

    /// <summary>
    /// kube's <c>recordInitialRecommendation</c>: an autoscaler seen for the first time starts with the current count
    /// as its one recommendation, so that it does not scale down before a window of recommendations has passed.
    /// </summary>
    public void RecordInitial(string key, int currentReplicas, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_recommendations.ContainsKey(key))
            {
                _recommendations[key] = [new Recommendation(currentReplicas, now)];
            }
        }
    }

    /// <summary>
    /// kube's <c>normalizeDesiredReplicas</c>, for an autoscaler without <c>spec.behavior</c>: records the
    /// recommendation, takes the highest of the downscale stabilization window (<c>stabilizeRecommendation</c>), then
    /// limits it to twice the current count (at least 4) and to min/max (<c>convertDesiredReplicasWithRules</c>).
    /// </summary>
    public NormalizedReplicas Normalize(string key, int currentReplicas, int desiredReplicas, int minReplicas, int maxReplicas, DateTimeOffset now)
    {
        int stabilized;
        lock (_lock)
        {
            stabilized = Stabilize(key, desiredReplicas, now);
        }

        var (stabilizationReason, stabilizationMessage) = stabilized != desiredReplicas
            ? (ScaleDownStabilized, ScaleDownStabilizedMessage)
            : (ReadyForNewScale, ReadyForNewScaleMessage);
        var (replicas, reason, message) = ScaleRate.WithRules(currentReplicas, stabilized, minReplicas, maxReplicas);
        return new NormalizedReplicas(replicas, stabilizationReason, stabilizationMessage, replicas != stabilized, reason, message);
    }

    /// <summary>
    /// kube's <c>normalizeDesiredReplicasWithBehaviors</c>: records the recommendation, brings it within the lowest of
    /// the scale-up window and the highest of the scale-down window (<c>stabilizeRecommendationWithBehaviors</c>), then
    /// limits it by the policies given the recent rescales and by min/max
    /// (<c>convertDesiredReplicasWithBehaviorRate</c>). Unset fields of the behavior take the API's defaults, and an
    /// unset scale-down window this instance's <see cref="DownscaleStabilizationWindow"/>.
    /// </summary>
    public NormalizedReplicas NormalizeWithBehaviors(
        string key, V2HorizontalPodAutoscalerBehavior behavior, int currentReplicas, int desiredReplicas, int minReplicas, int maxReplicas, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        var (scaleUp, scaleDown) = Complete(behavior);
        lock (_lock)
        {
            var (stabilized, reason, message) = StabilizeWithBehaviors(key, scaleUp, scaleDown, currentReplicas, desiredReplicas, now);
            var (stabilizationReason, stabilizationMessage) = stabilized != desiredReplicas ? (reason, message) : (ReadyForNewScale, ReadyForNewScaleMessage);
            var (replicas, limitReason, limitMessage) = ScaleRate.WithBehaviorRate(
                currentReplicas, stabilized, minReplicas, maxReplicas, scaleUp, scaleDown, EventsOf(_scaleUpEvents, key), EventsOf(_scaleDownEvents, key), now);
            return new NormalizedReplicas(replicas, stabilizationReason, stabilizationMessage, replicas != stabilized, limitReason, limitMessage);
        }
    }

    /// <summary>
    /// kube's <c>storeScaleEvent</c>: remembers a rescale for the policies of an autoscaler with a behavior (without
    /// one, nothing reads them and nothing is kept), reusing the slot of an event older than the longest policy period.
    /// </summary>
    public void RecordScaleEvent(string key, V2HorizontalPodAutoscalerBehavior? behavior, int previousReplicas, int newReplicas, DateTimeOffset now)
    {
        if (behavior is null)
        {
            return;
        }

        var (scaleUp, scaleDown) = Complete(behavior);
        var up = newReplicas > previousReplicas;
        var longestPeriod = ScaleRate.LongestPeriod(up ? scaleUp : scaleDown);
        var change = up ? newReplicas - previousReplicas : previousReplicas - newReplicas;
        lock (_lock)
        {
            var events = ListOf(up ? _scaleUpEvents : _scaleDownEvents, key);
            var cutoff = now - TimeSpan.FromSeconds(longestPeriod);
            var outdated = -1;
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Timestamp < cutoff)
                {
                    events[i] = events[i] with { Outdated = true };
                }

                if (events[i].Outdated)
                {
                    outdated = i;
                }
            }

            var added = new ScaleEvent(change, now, false);
            if (outdated >= 0)
            {
                events[outdated] = added;
            }
            else
            {
                events.Add(added);
            }
        }
    }

    /// <summary>Forgets an autoscaler that was deleted, as kube's <c>reconcileKey</c> does when it is not found.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _recommendations.Remove(key);
            _scaleUpEvents.Remove(key);
            _scaleDownEvents.Remove(key);
        }
    }

    /// <summary>How many recommendations and scale events are kept for an autoscaler.</summary>
    internal (int Recommendations, int ScaleUpEvents, int ScaleDownEvents) HistoryOf(string key)
    {
        lock (_lock)
        {
            return (_recommendations.GetValueOrDefault(key)?.Count ?? 0, _scaleUpEvents.GetValueOrDefault(key)?.Count ?? 0,
                _scaleDownEvents.GetValueOrDefault(key)?.Count ?? 0);
        }
    }

    /// <summary>
    /// kube's <c>stabilizeRecommendation</c>: the highest recommendation of the downscale window, the new one included;
    /// the new one takes the place of one that fell out of the window, or is added.
    /// </summary>
    private int Stabilize(string key, int desiredReplicas, DateTimeOffset now)
    {
        var recommendations = ListOf(_recommendations, key);
        var cutoff = now - DownscaleStabilizationWindow;
        var highest = desiredReplicas;
        var old = -1;
        for (var i = 0; i < recommendations.Count; i++)
        {
            if (recommendations[i].Timestamp < cutoff)
            {
                old = i;
            }
            else if (recommendations[i].Replicas > highest)
            {
                highest = recommendations[i].Replicas;
            }
        }

        Record(recommendations, old, new Recommendation(desiredReplicas, now));
        return highest;
    }

    /// <summary>
    /// kube's <c>stabilizeRecommendationWithBehaviors</c>: the current count brought up to the lowest recommendation of
    /// the scale-up window and down to the highest of the scale-down window, the new one included in both; the new one
    /// takes the place of one older than both windows, or is added.
    /// </summary>
    private (int Replicas, string Reason, string Message) StabilizeWithBehaviors(
        string key, V2HPAScalingRules scaleUp, V2HPAScalingRules scaleDown, int currentReplicas, int desiredReplicas, DateTimeOffset now)
    {
        var recommendations = ListOf(_recommendations, key);
        var upCutoff = now - TimeSpan.FromSeconds(scaleUp.StabilizationWindowSeconds ?? 0);
        var downCutoff = now - TimeSpan.FromSeconds(scaleDown.StabilizationWindowSeconds ?? 0);
        var upRecommendation = desiredReplicas;
        var downRecommendation = desiredReplicas;
        var old = -1;
        for (var i = 0; i < recommendations.Count; i++)
        {
            var recommendation = recommendations[i];
            if (recommendation.Timestamp > upCutoff)
            {
                upRecommendation = Math.Min(recommendation.Replicas, upRecommendation);
            }

            if (recommendation.Timestamp > downCutoff)
            {
                downRecommendation = Math.Max(recommendation.Replicas, downRecommendation);
            }

            if (recommendation.Timestamp < upCutoff && recommendation.Timestamp < downCutoff)
            {
                old = i;
            }
        }

        var stabilized = Math.Min(Math.Max(currentReplicas, upRecommendation), downRecommendation);
        Record(recommendations, old, new Recommendation(desiredReplicas, now));
        return desiredReplicas >= currentReplicas
            ? (stabilized, ScaleUpStabilized, ScaleUpStabilizedMessage)
            : (stabilized, ScaleDownStabilized, ScaleDownStabilizedMessage);
    }

    /// <summary>The behavior's rules with the API's defaults, and the controller's scale-down window when it sets none.</summary>
    private (V2HPAScalingRules ScaleUp, V2HPAScalingRules ScaleDown) Complete(V2HorizontalPodAutoscalerBehavior behavior)
    {
        var scaleDown = ScalingBehaviorDefaults.ScaleDownRules(behavior.ScaleDown);
        scaleDown.StabilizationWindowSeconds ??= (int)DownscaleStabilizationWindow.TotalSeconds;
        return (ScalingBehaviorDefaults.ScaleUpRules(behavior.ScaleUp), scaleDown);
    }

    private static void Record(List<Recommendation> recommendations, int old, Recommendation recommendation)
    {
        if (old >= 0)
        {
            recommendations[old] = recommendation;
        }
        else
        {
            recommendations.Add(recommendation);
        }
    }

    private static List<ScaleEvent> EventsOf(Dictionary<string, List<ScaleEvent>> events, string key) =>
        events.TryGetValue(key, out var list) ? list : [];

    private static List<T> ListOf<T>(Dictionary<string, List<T>> lists, string key)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            list = [];
            lists[key] = list;
        }

        return list;
    }
}
