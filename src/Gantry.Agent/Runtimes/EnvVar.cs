namespace Gantry.Agent.Runtimes;

/// <summary>One environment variable, already resolved (no $(VAR) references, no valueFrom).</summary>
public sealed record EnvVar(string Name, string Value);
