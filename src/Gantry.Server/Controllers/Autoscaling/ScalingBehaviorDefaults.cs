using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// The defaults kube's API gives an autoscaler's <c>spec.behavior</c> when it is set
/// (pkg/apis/autoscaling/v2/defaults.go, <c>GenerateHPAScaleUpRules</c> and <c>GenerateHPAScaleDownRules</c>): each
/// unset field of a direction's rules takes the default, which repeats the scaling of an autoscaler without behavior.
/// Up: no stabilization, the larger of 4 pods and 100% every 15 s. Down: 100% every 15 s, and no stabilization window,
/// which the controller then takes from its <c>--horizontal-pod-autoscaler-downscale-stabilization</c> (5 minutes).
/// A behavior left unset is not defaulted: the controller then scales as it did before behaviors existed.
/// </summary>
public static class ScalingBehaviorDefaults
{
    public const string MaxChange = "Max";
    public const string MinChange = "Min";
    public const string Disabled = "Disabled";
    public const string PodsPolicy = "Pods";
    public const string PercentPolicy = "Percent";

    /// <summary>The scale-up rules with each unset field defaulted; a new object, the input is not changed.</summary>
    public static V2HPAScalingRules ScaleUpRules(V2HPAScalingRules? rules) => Copy(rules, new V2HPAScalingRules
    {
        StabilizationWindowSeconds = 0,
        SelectPolicy = MaxChange,
        Policies =
        [
            new V2HPAScalingPolicy { Type = PodsPolicy, Value = 4, PeriodSeconds = 15 },
            new V2HPAScalingPolicy { Type = PercentPolicy, Value = 100, PeriodSeconds = 15 },
        ],
    });

    /// <summary>The scale-down rules with each unset field but the stabilization window defaulted; a new object.</summary>
    public static V2HPAScalingRules ScaleDownRules(V2HPAScalingRules? rules) => Copy(rules, new V2HPAScalingRules
    {
        StabilizationWindowSeconds = null,
        SelectPolicy = MaxChange,
        Policies = [new V2HPAScalingPolicy { Type = PercentPolicy, Value = 100, PeriodSeconds = 15 }],
    });

    /// <summary>kube's <c>copyHPAScalingRules</c>: the set fields of <paramref name="from"/> over <paramref name="to"/>.</summary>
    private static V2HPAScalingRules Copy(V2HPAScalingRules? from, V2HPAScalingRules to)
    {
        if (from is null)
        {
            return to;
        }

        if (from.SelectPolicy is not null)
        {
            to.SelectPolicy = from.SelectPolicy;
        }

        if (from.StabilizationWindowSeconds is not null)
        {
            to.StabilizationWindowSeconds = from.StabilizationWindowSeconds;
        }

        if (from.Policies is not null)
        {
            to.Policies = from.Policies;
        }

        if (from.Tolerance is not null)
        {
            to.Tolerance = from.Tolerance;
        }

        return to;
    }
}
