namespace Gantry.Agent.Probes;

/// <summary>What one run of a probe handler found, as Kubernetes' pkg/probe reports it.</summary>
public enum ProbeResult
{
    Success,

    /// <summary>Healthy, with something worth an event: an HTTP probe that stopped at a redirect to another host.</summary>
    Warning,

    Failure,

    /// <summary>The handler could not tell; counts as a failure.</summary>
    Unknown,
}
