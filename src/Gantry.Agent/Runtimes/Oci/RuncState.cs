namespace Gantry.Agent.Runtimes.Oci;

/// <summary>What `runc state` says: "created", "running", "paused" or "stopped", and the init PID (0 once stopped).</summary>
internal sealed record RuncState(string Status, int Pid);
