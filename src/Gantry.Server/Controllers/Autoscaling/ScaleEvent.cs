namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// kube's <c>timestampedScaleEvent</c>: how many replicas one rescale added or removed (never negative), when, and
/// whether it has fallen out of every policy's period, so that its slot may be reused.
/// </summary>
internal readonly record struct ScaleEvent(int ReplicaChange, DateTimeOffset Timestamp, bool Outdated);
