namespace Gantry.Agent.Network;

/// <summary>An interface a CNI plugin created or configured; <see cref="Sandbox"/> is set for those inside the pod.</summary>
internal sealed record CniInterface(string Name, string? Mac, string? Sandbox);
