namespace Gantry.Agent.Runtimes;

/// <summary>
/// The shim's "started" record: its own identity and its child's (the workload for the process
/// runtime, runc for the oci runtime). A PID alone could be reused after a reboot or a long time;
/// the PID together with its start time (in clock ticks since boot) cannot.
/// </summary>
internal sealed record ShimStarted(int ShimPid, long ShimStartTime, int ChildPid, long ChildStartTime, DateTimeOffset At);
