namespace Gantry.Core.Metrics;

/// <summary>
/// CPU usage at <see cref="Time"/>. <see cref="UsageNanoCores"/> is the rate over <see cref="Window"/>, the time
/// between the agent's last two samples; both are null until there have been two. The window is Gantry's addition to
/// the kubelet's fields: it is what NodeMetrics and PodMetrics report as theirs.
/// </summary>
public sealed record CpuStats(DateTimeOffset Time, ulong UsageCoreNanoSeconds, ulong? UsageNanoCores, TimeSpan? Window);
