namespace Gantry.Agent;

/// <summary>The folders of an agent's state directory, shared by the agent and <c>gantry reset</c>.</summary>
public static class AgentLayout
{
    /// <summary>The runtimes' checkpoints and per-container state; the process runtime's on a tmpfs (see <see cref="VolatileState"/>).</summary>
    public const string Containers = "containers";

    /// <summary>Container logs.</summary>
    public const string Logs = "logs";

    /// <summary>Sandbox records, the pool and host-local's allocations, on a tmpfs (see <see cref="VolatileState"/>).</summary>
    public const string Network = "network";

    /// <summary>Materialized volumes (emptyDir, configMap, secret).</summary>
    public const string Volumes = "volumes";
}
