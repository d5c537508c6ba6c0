namespace Gantry.Agent.Probes;

/// <summary>
/// The standing result of a probe for one container instance (kubelet's prober results cache):
/// what readiness, startup and restarts are decided from. Changes only when a run of results
/// reaches the probe's threshold.
/// </summary>
public enum ProbeVerdict
{
    Unknown,
    Success,
    Failure,
}
