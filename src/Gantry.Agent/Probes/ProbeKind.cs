namespace Gantry.Agent.Probes;

/// <summary>The three probes a container may carry; the names are the words kubelet events use ("Liveness probe failed: …").</summary>
public enum ProbeKind
{
    Liveness,
    Readiness,
    Startup,
}
