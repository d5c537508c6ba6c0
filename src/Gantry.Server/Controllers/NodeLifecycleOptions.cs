namespace Gantry.Server.Controllers;

/// <summary>
/// How quickly a lost node is noticed and emptied. Kubernetes waits 40 s for a heartbeat and lets
/// pods stay 300 s on an unreachable node; Gantry's defaults replace the pods of a lost node within
/// 45 s: a node whose lease (renewed every 10 s) is 13 s old is unreachable, and pods that do not
/// tolerate that say otherwise leave it 30 s later.
/// </summary>
public sealed record NodeLifecycleOptions
{
    public TimeSpan MonitorPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(13);

    /// <summary>How long a pod with no toleration of its own stays on a not-ready or unreachable node.</summary>
    public TimeSpan DefaultTolerationSeconds { get; init; } = TimeSpan.FromSeconds(30);
}
