namespace Gantry.Agent.Runtimes;

/// <summary>Where a runtime keeps what must outlive the agent process.</summary>
public sealed record RuntimeOptions
{
    /// <summary>Checkpoints: &lt;dir&gt;/&lt;runtime&gt;/&lt;container-id&gt;/. Must survive agent restarts
    /// (e.g. /var/lib/gantry/containers).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Logs: &lt;dir&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;id&gt;.log, the kubelet's
    /// /var/log/pods layout (e.g. /var/log/gantry/pods).</summary>
    public required string LogDirectory { get; init; }

    /// <summary>How long a start may take before it is abandoned and cleaned up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
