namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>kube's <c>timestampedRecommendation</c>: a replica count the metrics asked for, before stabilization, and when.</summary>
internal readonly record struct Recommendation(int Replicas, DateTimeOffset Timestamp);
