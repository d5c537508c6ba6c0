using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// kube's <c>Tolerances</c>: how far below and above 1 the usage ratio may be before the replica count changes.
/// An autoscaler may set its own in <c>spec.behavior.scaleDown.tolerance</c> and <c>scaleUp.tolerance</c> (the
/// <c>HPAConfigurableTolerance</c> feature, beta and on by default since kube 1.35); unset, the cluster-wide one applies.
/// </summary>
public readonly record struct Tolerances(double ScaleDown, double ScaleUp)
{
    /// <summary>The same tolerance both ways.</summary>
    public static Tolerances Uniform(double tolerance) => new(tolerance, tolerance);

    /// <summary>kube's <c>tolerancesForHpa</c>: the behavior's tolerances, each falling back to <paramref name="defaultTolerance"/>.</summary>
    public static Tolerances For(V2HorizontalPodAutoscalerBehavior? behavior, double defaultTolerance = 0.1) =>
        new(behavior?.ScaleDown?.Tolerance is { } down ? (double)down.ToDecimal() : defaultTolerance,
            behavior?.ScaleUp?.Tolerance is { } up ? (double)up.ToDecimal() : defaultTolerance);

    /// <summary>Whether a usage ratio is close enough to 1 that the replica count stays.</summary>
    public bool IsWithin(double usageRatio) => 1.0 - ScaleDown <= usageRatio && usageRatio <= 1.0 + ScaleUp;

    /// <summary>As kube prints them: <c>[down:10.0%, up:10.0%]</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[down:{ScaleDown * 100:F1}%, up:{ScaleUp * 100:F1}%]");
}
