namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// The kube-controller-manager flags the replica calculator reads, with their defaults:
/// <c>--horizontal-pod-autoscaler-tolerance</c> (0.1), <c>--horizontal-pod-autoscaler-cpu-initialization-period</c>
/// (5 minutes) and <c>--horizontal-pod-autoscaler-initial-readiness-delay</c> (30 seconds), and whether pod-level
/// requests (the <c>PodLevelResources</c> feature, on by default since kube 1.34) count as a pod's request.
/// </summary>
public sealed record ReplicaCalculatorOptions
{
    /// <summary>kube's defaults.</summary>
    public static ReplicaCalculatorOptions Default { get; } = new();

    /// <summary>How far the usage ratio may stray from 1 in either direction before the replica count changes.</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>After a pod starts, how long its cpu samples are trusted only when it is ready and a whole window has passed since it became so.</summary>
    public TimeSpan CpuInitializationPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>After a pod starts, how long a not-ready pod counts as never having been ready (its cpu samples are then ignored).</summary>
    public TimeSpan DelayOfInitialReadinessStatus { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a pod's <c>spec.resources.requests</c> is its request when set (and no container is named).</summary>
    public bool PodLevelResources { get; init; } = true;
}
