namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// What one resource metric proposes, as kube's replica calculator returns it: the replica count, the current
/// utilization in percent of the request (utilization targets only), the current average usage as a milli-value, and
/// the timestamp of the metrics — or, when the metric cannot be computed, <see cref="Error"/> in kube's words.
/// </summary>
public sealed record ReplicaCalculation(int Replicas, int? Utilization, long RawAverageMilliValue, DateTimeOffset Timestamp)
{
    /// <summary>Why no proposal could be made; null on success.</summary>
    public string? Error { get; init; }

    public static ReplicaCalculation Failed(string error) => new(0, null, 0, default) { Error = error };
}
