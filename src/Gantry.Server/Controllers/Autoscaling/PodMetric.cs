namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// One pod's sample of a metric, as kube's <c>metrics.PodMetric</c>: when it was taken, the window it averages over,
/// and its value as a milli-value (millicores of cpu, thousandths of a byte of memory). The metrics of a target's pods
/// are a map from pod name to sample (kube's <c>PodMetricsInfo</c>), an
/// <see cref="IReadOnlyDictionary{TKey, TValue}">IReadOnlyDictionary&lt;string, PodMetric&gt;</see> here.
/// </summary>
public sealed record PodMetric(DateTimeOffset Timestamp, TimeSpan Window, long Value);
