using Gantry.Server.Controllers.Autoscaling;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers.Autoscaling;

/// <summary>Kube's horizontal_test cases for the normalization of a desired count, on <see cref="ReplicaRecommendations"/>.</summary>
public sealed class ReplicaRecommendationsTests
{
    private const string Key = "default/web";
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static V2HPAScalingRules Rules(string select, int? window, params V2HPAScalingPolicy[] policies) =>
        new() { SelectPolicy = select, StabilizationWindowSeconds = window, Policies = policies };

    private static V2HPAScalingPolicy Pods(int value, int period) => new() { Type = "Pods", Value = value, PeriodSeconds = period };

    private static V2HPAScalingPolicy Percent(int value, int period) => new() { Type = "Percent", Value = value, PeriodSeconds = period };

    private static V2HorizontalPodAutoscalerBehavior Up(V2HPAScalingRules rules) => new() { ScaleUp = rules };

    private static V2HorizontalPodAutoscalerBehavior Down(V2HPAScalingRules rules) => new() { ScaleDown = rules };

    [Fact]
    public void Scale_up_is_limited_to_double_the_current_replicas_without_behavior()
    {
        var result = new ReplicaRecommendations().Normalize(Key, 3, 10, 1, 20, Now);

        Assert.Equal(6, result.Replicas);
        Assert.True(result.Limited);
        Assert.Equal(("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"), (result.Reason, result.Message));
    }

    [Fact]
    public void Scale_up_without_behavior_may_always_reach_four_replicas()
    {
        Assert.Equal(4, new ReplicaRecommendations().Normalize(Key, 1, 10, 1, 20, Now).Replicas);
    }

    [Fact]
    public void Desired_above_max_is_clamped_to_max_without_behavior()
    {
        var result = new ReplicaRecommendations().Normalize(Key, 5, 9, 1, 8, Now);

        Assert.Equal((8, true, "TooManyReplicas", "the desired replica count is more than the maximum replica count"),
            (result.Replicas, result.Limited, result.Reason, result.Message));
    }

    [Fact]
    public void Desired_below_min_is_raised_to_min_without_behavior()
    {
        var result = new ReplicaRecommendations().Normalize(Key, 5, 1, 2, 10, Now);

        Assert.Equal((2, true, "TooFewReplicas", "the desired replica count is less than the minimum replica count"),
            (result.Replicas, result.Limited, result.Reason, result.Message));
    }

    [Fact]
    public void Desired_within_range_is_neither_limited_nor_stabilized()
    {
        var result = new ReplicaRecommendations().Normalize(Key, 4, 6, 1, 10, Now);

        Assert.Equal(new NormalizedReplicas(6, "ReadyForNewScale", "recommended size matches current size", false, "DesiredWithinRange",
            "the desired count is within the acceptable range"), result);
        Assert.Equal("False", result.LimitedStatus);
    }

    [Fact]
    public void The_downscale_window_keeps_the_highest_recommendation_without_behavior()
    {
        var recommendations = new ReplicaRecommendations();
        recommendations.Normalize(Key, 8, 8, 1, 10, Now);

        var result = recommendations.Normalize(Key, 8, 4, 1, 10, Now.AddMinutes(1));

        Assert.Equal((8, false), (result.Replicas, result.Limited));
        Assert.Equal(("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"),
            (result.StabilizationReason, result.StabilizationMessage));
    }

    [Fact]
    public void Recommendations_older_than_the_downscale_window_no_longer_hold_a_scale_down()
    {
        var recommendations = new ReplicaRecommendations();
        recommendations.Normalize(Key, 8, 8, 1, 10, Now);

        var result = recommendations.Normalize(Key, 8, 4, 1, 10, Now.AddMinutes(6));

        Assert.Equal(4, result.Replicas);
        Assert.Equal(1, recommendations.HistoryOf(Key).Recommendations);
    }

    [Fact]
    public void The_initial_recommendation_holds_a_scale_down_for_the_window()
    {
        var recommendations = new ReplicaRecommendations();
        recommendations.RecordInitial(Key, 5, Now);

        Assert.Equal(5, recommendations.Normalize(Key, 5, 2, 1, 10, Now.AddMinutes(1)).Replicas);
    }

    [Fact]
    public void A_shorter_downscale_window_releases_a_scale_down_sooner()
    {
        var recommendations = new ReplicaRecommendations(TimeSpan.FromMinutes(1));
        recommendations.Normalize(Key, 8, 8, 1, 10, Now);

        Assert.Equal(4, recommendations.Normalize(Key, 8, 4, 1, 10, Now.AddMinutes(2)).Replicas);
    }

    [Fact]
    public void Forgetting_an_autoscaler_drops_its_history()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Up(Rules("Max", 0, Pods(4, 60)));
        recommendations.RecordInitial(Key, 5, Now);
        recommendations.RecordScaleEvent(Key, behavior, 5, 9, Now);
        recommendations.RecordScaleEvent(Key, behavior, 9, 7, Now);

        recommendations.Forget(Key);

        Assert.Equal((0, 0, 0), recommendations.HistoryOf(Key));
        Assert.Equal(2, recommendations.Normalize(Key, 5, 2, 1, 10, Now.AddMinutes(1)).Replicas);
    }

    [Fact]
    public void A_pods_policy_limits_a_scale_up_to_that_many_pods_per_period()
    {
        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, Up(Rules("Max", 0, Pods(4, 60))), 5, 20, 1, 100, Now);

        Assert.Equal((9, true, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"),
            (result.Replicas, result.Limited, result.Reason, result.Message));
    }

    [Fact]
    public void A_percent_policy_limits_a_scale_up_to_that_share_per_period()
    {
        Assert.Equal(15, new ReplicaRecommendations().NormalizeWithBehaviors(Key, Up(Rules("Max", 0, Percent(50, 60))), 10, 30, 1, 100, Now).Replicas);
    }

    [Fact]
    public void A_percent_scale_up_rounds_up_so_that_it_adds_at_least_one_pod()
    {
        Assert.Equal(4, new ReplicaRecommendations().NormalizeWithBehaviors(Key, Up(Rules("Max", 0, Percent(10, 60))), 3, 10, 1, 100, Now).Replicas);
    }

    [Fact]
    public void The_max_select_policy_takes_the_policy_allowing_the_largest_scale_up()
    {
        var behavior = Up(Rules("Max", 0, Pods(4, 60), Percent(50, 60)));

        Assert.Equal(15, new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 10, 30, 1, 100, Now).Replicas);
    }

    [Fact]
    public void The_min_select_policy_takes_the_policy_allowing_the_smallest_scale_up()
    {
        var behavior = Up(Rules("Min", 0, Pods(4, 60), Percent(50, 60)));

        Assert.Equal(14, new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 10, 30, 1, 100, Now).Replicas);
    }

    [Fact]
    public void The_disabled_select_policy_forbids_scaling_up()
    {
        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, Up(Rules("Disabled", 0, Pods(4, 60))), 10, 30, 1, 100, Now);

        Assert.Equal((10, true, "ScaleUpLimit"), (result.Replicas, result.Limited, result.Reason));
    }

    [Fact]
    public void A_percent_policy_limits_a_scale_down_truncating_the_count_that_stays()
    {
        var behavior = Down(Rules("Max", 0, Percent(10, 60)));

        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 15, 2, 1, 100, Now);

        Assert.Equal((13, true, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"),
            (result.Replicas, result.Limited, result.Reason, result.Message));
    }

    [Fact]
    public void The_max_select_policy_takes_the_policy_allowing_the_largest_scale_down()
    {
        var behavior = Down(Rules("Max", 0, Pods(4, 60), Percent(10, 60)));

        Assert.Equal(72, new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 80, 10, 1, 100, Now).Replicas);
    }

    [Fact]
    public void The_min_select_policy_takes_the_policy_allowing_the_smallest_scale_down()
    {
        var behavior = Down(Rules("Min", 0, Pods(4, 60), Percent(10, 60)));

        Assert.Equal(76, new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 80, 10, 1, 100, Now).Replicas);
    }

    [Fact]
    public void The_disabled_select_policy_forbids_scaling_down()
    {
        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, Down(Rules("Disabled", 0, Percent(10, 60))), 80, 10, 1, 100, Now);

        Assert.Equal((80, true, "ScaleDownLimit"), (result.Replicas, result.Limited, result.Reason));
    }

    [Fact]
    public void Scale_downs_within_the_period_count_against_the_policy()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Down(Rules("Max", 0, Percent(10, 60)));
        Assert.Equal(72, recommendations.NormalizeWithBehaviors(Key, behavior, 80, 10, 1, 100, Now).Replicas);
        recommendations.RecordScaleEvent(Key, behavior, 80, 72, Now);

        Assert.Equal(72, recommendations.NormalizeWithBehaviors(Key, behavior, 72, 10, 1, 100, Now.AddSeconds(30)).Replicas);
        Assert.Equal(64, recommendations.NormalizeWithBehaviors(Key, behavior, 72, 10, 1, 100, Now.AddSeconds(61)).Replicas);
    }

    [Fact]
    public void Scale_ups_within_the_period_count_against_the_policy()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Up(Rules("Max", 0, Pods(4, 60)));
        recommendations.RecordScaleEvent(Key, behavior, 5, 9, Now);

        var held = recommendations.NormalizeWithBehaviors(Key, behavior, 9, 20, 1, 100, Now.AddSeconds(30));
        var released = recommendations.NormalizeWithBehaviors(Key, behavior, 9, 20, 1, 100, Now.AddSeconds(61));

        Assert.Equal((9, "ScaleUpLimit"), (held.Replicas, held.Reason));
        Assert.Equal(13, released.Replicas);
    }

    [Fact]
    public void The_scale_up_window_applies_the_lowest_recent_recommendation()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Up(Rules("Max", 60, Pods(100, 15)));
        recommendations.NormalizeWithBehaviors(Key, behavior, 3, 3, 1, 100, Now);

        var held = recommendations.NormalizeWithBehaviors(Key, behavior, 3, 10, 1, 100, Now.AddSeconds(10));
        var released = recommendations.NormalizeWithBehaviors(Key, behavior, 3, 10, 1, 100, Now.AddSeconds(71));

        Assert.Equal((3, "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation"),
            (held.Replicas, held.StabilizationReason, held.StabilizationMessage));
        Assert.Equal((10, "ReadyForNewScale"), (released.Replicas, released.StabilizationReason));
    }

    [Fact]
    public void The_scale_down_window_of_the_behavior_applies_the_highest_recent_recommendation()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Down(Rules("Max", 120, Percent(100, 15)));
        recommendations.NormalizeWithBehaviors(Key, behavior, 10, 10, 1, 100, Now);

        var held = recommendations.NormalizeWithBehaviors(Key, behavior, 10, 4, 1, 100, Now.AddSeconds(60));
        var released = recommendations.NormalizeWithBehaviors(Key, behavior, 10, 4, 1, 100, Now.AddSeconds(121));

        Assert.Equal((10, "ScaleDownStabilized"), (held.Replicas, held.StabilizationReason));
        Assert.Equal(4, released.Replicas);
    }

    [Fact]
    public void An_unset_direction_of_a_behavior_takes_the_api_defaults()
    {
        // Scale-up defaults to the larger of 4 pods and 100% per 15 s.
        var behavior = Down(Rules("Max", 0, Pods(1, 60)));

        Assert.Equal(6, new ReplicaRecommendations().NormalizeWithBehaviors(Key, behavior, 2, 20, 1, 100, Now).Replicas);
    }

    [Fact]
    public void An_unset_scale_down_window_takes_the_controllers()
    {
        var fiveMinutes = new ReplicaRecommendations();
        var thirtySeconds = new ReplicaRecommendations(TimeSpan.FromSeconds(30));
        foreach (var recommendations in new[] { fiveMinutes, thirtySeconds })
        {
            recommendations.NormalizeWithBehaviors(Key, new V2HorizontalPodAutoscalerBehavior(), 10, 10, 1, 100, Now);
        }

        Assert.Equal(10, fiveMinutes.NormalizeWithBehaviors(Key, new V2HorizontalPodAutoscalerBehavior(), 10, 2, 1, 100, Now.AddMinutes(1)).Replicas);
        Assert.Equal(2, thirtySeconds.NormalizeWithBehaviors(Key, new V2HorizontalPodAutoscalerBehavior(), 10, 2, 1, 100, Now.AddMinutes(1)).Replicas);
    }

    [Fact]
    public void Max_below_the_policy_limit_clamps_a_scale_up_as_too_many_replicas()
    {
        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, Up(Rules("Max", 0, Percent(100, 60))), 5, 50, 1, 8, Now);

        Assert.Equal((8, true, "TooManyReplicas"), (result.Replicas, result.Limited, result.Reason));
    }

    [Fact]
    public void Min_above_the_policy_limit_clamps_a_scale_down_as_too_few_replicas()
    {
        var result = new ReplicaRecommendations().NormalizeWithBehaviors(Key, Down(Rules("Max", 0, Percent(100, 15))), 5, 1, 2, 10, Now);

        Assert.Equal((2, true, "TooFewReplicas", "the desired replica count is less than the minimum replica count"),
            (result.Replicas, result.Limited, result.Reason, result.Message));
    }

    [Fact]
    public void Scale_events_are_not_kept_for_an_autoscaler_without_behavior()
    {
        var recommendations = new ReplicaRecommendations();

        recommendations.RecordScaleEvent(Key, null, 5, 9, Now);

        Assert.Equal(0, recommendations.HistoryOf(Key).ScaleUpEvents);
    }

    [Fact]
    public void A_scale_event_older_than_every_period_gives_its_slot_to_the_next()
    {
        var recommendations = new ReplicaRecommendations();
        var behavior = Up(Rules("Max", 0, Pods(4, 60)));
        recommendations.RecordScaleEvent(Key, behavior, 5, 9, Now);

        recommendations.RecordScaleEvent(Key, behavior, 9, 13, Now.AddSeconds(61));
        Assert.Equal(1, recommendations.HistoryOf(Key).ScaleUpEvents);

        recommendations.RecordScaleEvent(Key, behavior, 13, 17, Now.AddSeconds(70));
        Assert.Equal(2, recommendations.HistoryOf(Key).ScaleUpEvents);
    }

    [Fact]
    public void The_api_defaults_fill_only_the_unset_fields_and_leave_the_input_alone()
    {
        var scaleDown = new V2HPAScalingRules { SelectPolicy = "Min" };

        var up = ScalingBehaviorDefaults.ScaleUpRules(null);
        var down = ScalingBehaviorDefaults.ScaleDownRules(scaleDown);

        Assert.Equal((0, "Max"), (up.StabilizationWindowSeconds, up.SelectPolicy));
        Assert.Equal([("Pods", 4, 15), ("Percent", 100, 15)], up.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)));
        Assert.Equal(("Min", (int?)null), (down.SelectPolicy, down.StabilizationWindowSeconds));
        Assert.Equal([("Percent", 100, 15)], down.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)));
        Assert.Null(scaleDown.Policies);
    }
}
